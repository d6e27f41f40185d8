"""The JSON encoders: one strict C encoder built once, a string escaper, a plain encoder."""

from __future__ import annotations

import json
import json.encoder
from collections.abc import Callable

__all__ = ["Encode", "escape", "make_encoder", "plain_encode"]

Encode = Callable[[object], str]


def make_encoder(default: Callable[[object], object]) -> Encode:
    """Build the strict, compact, ASCII-only encoder once.

    The C encoder is created a single time (``json.dumps`` builds one per
    call). It runs without cycle markers: a cycle ends in ``RecursionError``,
    which sends the record to the sanitizing path like any other failure.
    """
    fallback = json.JSONEncoder(
        ensure_ascii=True,
        allow_nan=False,
        separators=(",", ":"),
        default=default,
        check_circular=False,
    ).encode
    make = getattr(json.encoder, "c_make_encoder", None)
    basestring = getattr(json.encoder, "encode_basestring_ascii", None)
    if make is None or basestring is None:  # pragma: no cover - pure-Python json
        return fallback
    try:
        iterencode = make(None, default, basestring, None, ":", ",", False, False, False)
        join = "".join

        def encode(obj: object) -> str:
            return join(iterencode(obj, 0))

        probe = {"a": [1, 2.5, "\u00e9", None, True], "b": {"c": "d"}}
        if encode(probe) != fallback(probe):  # pragma: no cover - defensive
            return fallback
    except Exception:  # pragma: no cover - an interpreter with another signature
        return fallback
    return encode


escape: Callable[[str], str] = (
    getattr(json.encoder, "encode_basestring_ascii", None)
    or json.encoder.py_encode_basestring_ascii
)
"""Quote and escape a str as an ASCII JSON string (raises TypeError for non-str)."""

plain_encode: Encode = json.JSONEncoder(
    ensure_ascii=True, allow_nan=False, separators=(",", ":")
).encode
