#!/usr/bin/env python3
"""Checks the local VK server's answers against VK's own API schema (VKCOM/vk-api-schema).

usage: vk_schema_check.py SCHEMA_DIR ANSWERS.json
ANSWERS.json: [{"method": "wall.post", "answer": {...}}, ...] — what the fixture answered.
A success `{"response": …}` is checked against the method's `responses.response` definition
(from `<section>/methods.json`), an error against `base_error` (`{"error": …}`). The schema is
draft-03 style (`"required": true` on properties). Prints each mismatch; exits 1 if any, 3 when
the `jsonschema` module is missing (the caller skips).
"""
import json, pathlib, sys, warnings

try:
    import jsonschema
except ImportError:
    sys.exit(3)

warnings.filterwarnings("ignore", category=DeprecationWarning)


def main():
    root = pathlib.Path(sys.argv[1]).resolve()
    answers = json.loads(pathlib.Path(sys.argv[2]).read_text())
    failures = 0
    for item in answers:
        method, answer = item["method"], item["answer"]
        section = method.split(".")[0]
        if "error" in answer:
            ref, instance = "base/objects.json#/definitions/base_error", dict(answer["error"])
            # `inner_type` is the schema's own discriminator, not a field VK sends.
            instance.setdefault("inner_type", "base_error")
        else:
            methods = json.loads((root / section / "methods.json").read_text())["methods"]
            spec = next(m for m in methods if m["name"] == method)
            ref = spec["responses"]["response"]["$ref"].lstrip("./")
            instance = answer
        path, pointer = ref.split("#")
        document = json.loads((root / path).read_text())
        schema = document
        for part in pointer.strip("/").split("/"):
            schema = schema[part]
        resolver = jsonschema.RefResolver(base_uri=(root / path).as_uri(), referrer=document)
        validator = jsonschema.Draft3Validator(schema, resolver=resolver)
        errors = list(validator.iter_errors(instance))
        for error in errors:
            print(f"{method}: {'/'.join(map(str, error.path))}: {error.message}")
        failures += len(errors)
        if not errors:
            print(f"{method}: ok ({'error ' + str(answer['error']['error_code']) if 'error' in answer else 'response'})")
    sys.exit(1 if failures else 0)


main()
