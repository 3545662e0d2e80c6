"""Facts as plain data for the cache: every value becomes None, bool, int, float, str, bytes, list, dict or a tuple
whose first item names its type, so the cache can be stored with `marshal` and read back without running anything
(a pickle runs whatever callable its file names). Types outside the facts' vocabulary are refused when encoding."""
from __future__ import annotations

import datetime
from dataclasses import fields

from reprolint.facts.types import Assign, Call, FileFacts, Import, Loop, ParseError, PyFacts, Ref

_RECORDS = {cls.__name__: cls for cls in (Ref, Import, Call, Assign, ParseError, Loop)}
_DATACLASSES = {cls.__name__: (cls, tuple(f.name for f in fields(cls))) for cls in (PyFacts, FileFacts)}
_DATES = {"datetime": datetime.datetime, "date": datetime.date, "time": datetime.time}
_PLAIN = (str, int, float, complex, bool, type(None), bytes)


class NotPlainData(ValueError):
    """A value that the cache cannot store as plain data (the entry is then not cached)."""


def encode(value):
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is list:
        return [encode(v) for v in value]
    if kind is dict:
        return {encode(k): encode(v) for k, v in value.items()}
    if kind is tuple:
        return ("t", *[encode(v) for v in value])
    if kind.__name__ in _RECORDS and kind is _RECORDS[kind.__name__]:
        return (kind.__name__, *[encode(v) for v in value])
    if kind.__name__ in _DATACLASSES and kind is _DATACLASSES[kind.__name__][0]:
        return (kind.__name__, *[encode(getattr(value, f)) for f in _DATACLASSES[kind.__name__][1]])
    if kind in (set, frozenset):
        return ("s" if kind is set else "f", *[encode(v) for v in value])
    if isinstance(value, (datetime.date, datetime.time)):  # TOML and YAML dates
        return ("d", type(value).__name__, value.isoformat())
    raise NotPlainData(f"cannot cache a {kind.__name__}")


def decode(value):
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is list:
        return [decode(v) for v in value]
    if kind is dict:
        return {decode(k): decode(v) for k, v in value.items()}
    if kind is not tuple or not value or type(value[0]) is not str:
        raise NotPlainData(f"unexpected {kind.__name__} in the cache")
    tag, items = value[0], value[1:]
    if tag == "t":
        return tuple(decode(v) for v in items)
    if tag in _RECORDS:
        return _RECORDS[tag](*[decode(v) for v in items])
    if tag in _DATACLASSES:
        cls, names = _DATACLASSES[tag]
        if len(items) != len(names):
            raise NotPlainData(f"{tag} with {len(items)} fields in the cache")
        return cls(**{n: decode(v) for n, v in zip(names, items)})
    if tag in ("s", "f"):
        return (set if tag == "s" else frozenset)(decode(v) for v in items)
    if tag == "d" and len(items) == 2 and items[0] in _DATES:
        return _DATES[items[0]].fromisoformat(items[1])
    raise NotPlainData(f"unknown tag {tag!r} in the cache")
