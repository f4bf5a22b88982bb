"""``python -m lean_sdk pay FILE``: see :mod:`lean_sdk.batch.cli`."""

from __future__ import annotations

from .batch.cli import main

raise SystemExit(main())
