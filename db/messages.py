"""User-facing messages written by db/ (validation, refusals, import row errors), translatable without db/
importing the interface.

A message is a `Msg`: a str holding its English text (so logs, the audit log, the CLI and the English pages read
exactly as before), which also keeps its msgid and parameters; the interface translates it where it is shown
(dashboard.i18n.translate). `N_` marks a constant msgid for extraction and returns it unchanged. Babel extracts
both (`-k N_ -k Msg`, see babel.cfg and the Makefile's `messages` target).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def N_(msgid: str) -> str:
    """Mark `msgid` for extraction; translated later, where it is shown."""
    return msgid


class Msg(str):
    """English text of `msgid % params`, with `msgid` and `params` kept for translation (a parameter may itself
    be a Msg: it is translated too)."""

    msgid: str
    params: dict[str, Any]

    def __new__(cls, msgid: str, **params: Any) -> Msg:
        obj = super().__new__(cls, msgid % params if params else msgid)
        obj.msgid = msgid
        obj.params = params
        return obj

    def __reduce__(self):  # pickling (cached reports) keeps the msgid and parameters
        return _rebuild, (type(self), self.msgid, self.params)


def _rebuild(cls, msgid, params):
    return cls(msgid, **params)


class Joined(str):
    """Several messages shown together (`sep.join(parts)`), each translated on its own."""

    sep: str
    parts: tuple[str, ...]

    def __new__(cls, sep: str, parts: Iterable[str]) -> Joined:
        parts = tuple(parts)
        obj = super().__new__(cls, sep.join(parts))
        obj.sep = sep
        obj.parts = parts
        return obj

    def __reduce__(self):
        return Joined, (self.sep, self.parts)


def plain(items: Iterable[Any]) -> str:
    """A list of names or codes, as they are written (not translated): 'a, b, c'."""
    return ", ".join(str(i) for i in items)
