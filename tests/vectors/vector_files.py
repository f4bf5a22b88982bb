"""Writes a generator's JSON files, or checks that they are current.

Shared by ../generate.py (payouts) and openbanking/generate.py: each
spells out its cases and hands its table of files to `main`.
"""

import json
import sys


def render(cases):
    names = [c["name"] for c in cases]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise SystemExit(f"duplicate case names: {duplicates}")
    return json.dumps({"cases": cases}, indent=2, ensure_ascii=False) + "\n"


def main(here, files, script):
    """Writes every file of `files` (name: function making its cases) in
    `here`; with `--check`, fails naming the stale ones and how to rewrite
    them (`python3 <script>`) instead."""
    check = "--check" in sys.argv[1:]
    stale = []
    total = 0
    for file, make in files.items():
        cases = make()
        total += len(cases)
        text = render(cases)
        path = here / file
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(file)
        else:
            path.write_text(text, encoding="utf-8")
    if stale:
        print(f"stale vectors: {', '.join(stale)}; run python3 {script}", file=sys.stderr)
        sys.exit(1)
    print(f"{total} cases {'up to date' if check else 'written'}")
