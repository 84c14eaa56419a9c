#!/usr/bin/env python3
"""Validates LINE request bodies written by the Rust tests against LINE's official
OpenAPI schema (messaging-api.yml, Apache-2.0, see LICENSE-line-openapi).

Usage: validate.py DIR [MIN_FILES]
  DIR/*.reply.json     -> #/components/schemas/ReplyMessageRequest
  DIR/*.richmenu.json  -> #/components/schemas/RichMenuRequest

LINE puts `discriminator` on base schemas (Message, FlexContainer, FlexComponent,
Action, ...) that have no oneOf, so a plain validator only checks the top level. The
recipe from LINE_API.md 4.3: add a `<Base>__dispatch` oneOf over each base's mapping,
point every $ref to a base at it except the subtype->base links inside allOf, then
validate. Limits the schema leaves out (text <=5000 UTF-16, altText <=1500, 12 bubbles,
label lengths, byte sizes) are checked in Rust (line::flex::check_limits).
Pinned: openapi-schema-validator 0.9.0, jsonschema 4.26.0, PyYAML 6.0.3.
"""
import json
import pathlib
import sys

import yaml
from openapi_schema_validator import OAS30Validator

HERE = pathlib.Path(__file__).resolve().parent


def load_spec():
    spec = yaml.safe_load((HERE / "messaging-api.yml").read_text(encoding="utf-8"))
    schemas = spec["components"]["schemas"]
    bases = [
        name for name, s in schemas.items()
        if isinstance(s, dict) and "discriminator" in s and "mapping" in s["discriminator"]
        and not any(k in s for k in ("oneOf", "anyOf", "allOf"))
    ]

    def rewrite(node, in_allof=False):
        if isinstance(node, dict):
            ref = node.get("$ref")
            if ref and not in_allof:
                name = ref.rsplit("/", 1)[-1]
                if name in bases:
                    node["$ref"] = f"#/components/schemas/{name}__dispatch"
            for k, v in node.items():
                rewrite(v, in_allof=(k == "allOf"))
        elif isinstance(node, list):
            for v in node:
                rewrite(v, in_allof=in_allof)

    rewrite(schemas)
    for name in bases:
        d = schemas[name]["discriminator"]
        schemas[f"{name}__dispatch"] = {
            "oneOf": [{"$ref": t} for t in dict.fromkeys(d["mapping"].values())],
            "discriminator": d,
        }
    return spec, len(bases)


def main():
    folder = pathlib.Path(sys.argv[1])
    minimum = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    spec, nbases = load_spec()
    validators = {
        kind: OAS30Validator({"$ref": f"#/components/schemas/{schema}", "components": spec["components"]})
        for kind, schema in (("reply", "ReplyMessageRequest"), ("richmenu", "RichMenuRequest"))
    }
    files = sorted(folder.glob("*.json"))
    bad = 0
    for f in files:
        kind = f.name.rsplit(".", 2)[-2]
        v = validators.get(kind)
        if v is None:
            continue
        errors = list(v.iter_errors(json.loads(f.read_text(encoding="utf-8"))))
        for e in errors[:5]:
            print(f"{f.name}: {'/'.join(map(str, e.absolute_path))}: {e.message[:300]}")
        bad += bool(errors)
    print(f"LINE schema: {len(files)} bodies checked ({nbases} discriminators dispatched), {bad} invalid")
    if len(files) < minimum:
        print(f"expected at least {minimum} bodies in {folder}; did the LINE tests run?")
        return 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
