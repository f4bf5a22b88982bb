#!/usr/bin/env python3
"""Seeds each fuzz target's corpus with the shared vectors, so that fuzzing
starts from inputs that reach deep into the rules instead of from nothing.
Writes core/fuzz/corpus/<target>/ (git-ignored)."""

import base64
import hashlib
import json
from pathlib import Path

FUZZ = Path(__file__).resolve().parent
VECTORS = FUZZ.parent.parent / "tests" / "vectors"


def cases(name):
    return json.loads((VECTORS / name).read_text(encoding="utf-8"))["cases"]


def write(target, data):
    folder = FUZZ / "corpus" / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)


def main():
    for case in cases("requests.json") + cases("validation.json"):
        call = json.dumps(case["call"], ensure_ascii=False).encode()
        write("operation_from_json", b"\x00" + call)
        if isinstance(case["call"].get("input"), dict):
            write("operation_from_json", b"\x04" + json.dumps(case["call"]["input"]).encode())
    for case in cases("responses.json"):
        response = case["response"]
        body = response["bodyText"].encode() if "bodyText" in response else json.dumps(response.get("body")).encode()
        write("parse_response", response["status"].to_bytes(2, "big") + b"\x07" + body)
    for case in cases("webhooks.json"):
        payload = case["payload"]
        if isinstance(payload, str):
            body = payload.encode()
        elif "base64" in payload:
            body = base64.b64decode(payload["base64"])
        else:
            continue  # the 1 MiB bodies are too large to be useful seeds
        header = (case.get("signature") or "").encode()[:255]
        write("webhook", bytes([len(header)]) + header + body)


if __name__ == "__main__":
    main()
