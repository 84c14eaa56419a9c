#!/usr/bin/env python3
"""Copies the city record files of a content folder COPIES times, with ids and titles
renamed, so the server can be started on ~100k records read from files (BENCHMARKS.md,
"Cold start with content files"). Works on a copy, never on the repository's content:

    cp -r content /tmp/big && python3 bench/grow_content.py /tmp/big 545
    target/release/tsunagu --content /tmp/big --index /tmp/big-idx index
"""
import os
import re
import sys

root, copies = sys.argv[1], int(sys.argv[2])
for city in ["sagamihara", "tsuruoka"]:
    d = os.path.join(root, city)
    # routes.toml and city.toml describe the city once; copies would collide.
    files = [f for f in os.listdir(d) if f.endswith(".toml") and f not in ("routes.toml", "city.toml")]
    for f in files:
        text = open(os.path.join(d, f)).read()
        for k in range(1, copies + 1):
            t = re.sub(r'^id = "([^"]+)"', lambda m: f'id = "{m.group(1)}~{k}"', text, flags=re.M)
            t = re.sub(r'^title = "([^"]+)"', lambda m: f'title = "{m.group(1)} 第{k}地区"', t, flags=re.M)
            open(os.path.join(d, f"copy{k}-{f}"), "w").write(t)
