"""The Python code blocks of bindings-python/README.md, so that the tests
execute exactly what users copy."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Dict, List

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCK = re.compile(r"(?:<!-- recipe: (\w+) -->\n)?```python\n(.*?)```", re.S)


def blocks() -> List[str]:
    return [code for _, code in BLOCK.findall(README.read_text("utf-8"))]


def recipes() -> Dict[str, str]:
    return {name: code for name, code in BLOCK.findall(README.read_text("utf-8")) if name}
