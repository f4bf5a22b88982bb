"""The SDK's logging: what the core's call engine decided, written to the
``lean_sdk`` logger of the standard :mod:`logging` module.

Each event is logged at its level (``debug`` for every request and
answer, ``info`` for retries, lookups, token fetches and each call's
outcome) with the core's own line as the message and the event as a dict
under ``extra={"lean_event": ...}``. Events, their names, levels and
messages come from the core, so every language logs the same lines; none
holds a credential, a token or a body. The core records them only when
this logger is enabled at INFO or below, so an application that logs
nothing pays nothing.

``LEAN_LOG=debug`` (or ``info``) in the environment, read once when the
package is imported, attaches a handler writing to stderr at that level.
"""

from __future__ import annotations

import logging
import os

TYPE_CHECKING = False  # typing itself is not imported at run time: import speed
if TYPE_CHECKING:
    from typing import Any, Dict, Iterable, Optional

logger = logging.getLogger("lean_sdk")

_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO}

#: The handler ``LEAN_LOG`` attached, if any.
_env_handler: Optional[logging.Handler] = None


def recording() -> bool:
    """True when the logger would write at least the ``info`` events: only
    then does the core record events for a call."""
    return logger.isEnabledFor(logging.INFO)


def emit(events: Iterable[Dict[str, Any]]) -> None:
    """Writes the core's events (``Event::to_json`` dicts), in order."""
    for event in events:
        level = _LEVELS.get(event.get("level", ""), logging.INFO)
        if logger.isEnabledFor(level):
            logger.log(level, event.get("message", event.get("event", "")), extra={"lean_event": event})


def _from_environment(value: Optional[str]) -> Optional[logging.Handler]:
    """Attaches a stderr handler at the level ``LEAN_LOG`` names (``debug``
    or ``info``, any case); other values are ignored."""
    level = _LEVELS.get((value or "").strip().lower())
    if level is None:
        return None
    handler = logging.StreamHandler()  # sys.stderr
    handler.setLevel(level)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    if logger.level == logging.NOTSET or logger.level > level:
        logger.setLevel(level)
    return handler


_env_handler = _from_environment(os.environ.get("LEAN_LOG"))
