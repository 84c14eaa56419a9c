#!/usr/bin/env python3
"""Splits the unseen danger sets into a tune half and a held-back half, once.

    python3 bench/unseen/split.py written.tsv posts.tsv

Rows are grouped by flag (crisis class, support, calm, ordinary) and by origin
(written / adapted from a public post), ordered by SHA-256 of a fixed seed and the id,
and dealt alternately, so each half gets every class in the same proportion and the
split never changes. It prints counts only: nobody reads the held-back texts until the
work is done (`relevance --unseen` reports that half as figures only).
"""
import hashlib
import sys
from collections import Counter, defaultdict
from pathlib import Path

SEED = "tsunagu-issue-19"
HERE = Path(__file__).resolve().parent
HEADER = ["id", "city", "topic", "flag", "register", "origin", "text"]


def rows(path):
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    head = lines[0].split("\t")
    for line in lines[1:]:
        if not line.strip() or line.startswith("#"):
            continue
        f = line.split("\t")
        yield dict(zip(head, f))


def main(paths):
    groups = defaultdict(list)
    for p in paths:
        for r in rows(p):
            kind = "post" if r["origin"].startswith("http") else "written"
            groups[(r["flag"], kind)].append(r)
    halves = {"tune": [], "heldback": []}
    for key in sorted(groups):
        ordered = sorted(groups[key], key=lambda r: hashlib.sha256((SEED + r["id"]).encode()).hexdigest())
        for i, r in enumerate(ordered):
            halves["tune" if i % 2 == 0 else "heldback"].append(r)
    for name, rs in halves.items():
        out = ["\t".join(HEADER)]
        out += ["\t".join(r.get(h, "") for h in HEADER) for r in sorted(rs, key=lambda r: (r["id"][0], int(r["id"][1:])))]
        (HERE / f"{name}.tsv").write_text("\n".join(out) + "\n", encoding="utf-8")
        flags = Counter((r["flag"].split(":")[0] if r["flag"] else "ordinary") for r in rs)
        print(name, len(rs), dict(sorted(flags.items())))


if __name__ == "__main__":
    main(sys.argv[1:])
