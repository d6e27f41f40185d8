"""The state of a :class:`QuantileSketch`: its versioned fields, checked before use.

The same state is the sketch's JSON document (``to_json``), its pickle, and
one entry of ``statistics.sketches`` in an ``OutlierClipper(method="sketch")``
document. Reading refuses anything no sketch can have written (unknown or
missing fields, a newer version, levels whose weights do not add up to
``n``, values outside ``[min, max]``), so no half-built sketch exists.
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
from ml_infra.preprocessing._errors import StateError
from ml_infra.preprocessing._numeric import FloatArray
from ml_infra.preprocessing._state import mapping
from ml_infra.preprocessing._text import describe, safe_repr

__all__ = [
    "KIND",
    "VERSION",
    "SketchState",
    "k_problem",
    "read_document",
    "read_state",
    "write_state",
]

KIND = "QuantileSketch"
VERSION = 1
_MIN_K = 8
_MAX_K = 2**24
_FIELDS = ("kind", "version", "k", "n", "max_rank_error", "min", "max", "levels", "parity")

#: ``(k, n, max_rank_error, min, max, levels, parity)``.
SketchState = tuple[int, int, int, float, float, list[FloatArray], list[int]]


def k_problem(k: int) -> str:
    """What is wrong with ``k`` (even, in ``[8, 2**24]``), or ``""``.

    Example:
        >>> k_problem(7)
        'k must be an even number in [8, 16777216], got 7'
    """
    if _MIN_K <= k <= _MAX_K and k % 2 == 0:
        return ""
    return f"k must be an even number in [{_MIN_K}, {_MAX_K}], got {k}"


def read_state(state: object, func: str) -> SketchState:
    """Check a sketch's state (a parsed document) completely before anything is built from it.

    Args:
        state: The parsed JSON object (or pickled state).
        func: The public function's name, for messages.

    Returns:
        ``(k, n, max_rank_error, min, max, levels, parity)``.

    Raises:
        StateError: a field is missing, unexpected, mistyped or inconsistent.

    Example:
        >>> read_state({"kind": "QuantileSketch", "version": 1, "k": 8, "n": 0, "max_rank_error": 0,
        ...             "min": None, "max": None, "levels": [], "parity": []}, "f")[:3]
        (8, 0, 0)
    """

    def bad(problem: str) -> StateError:
        return StateError(f"{func}: not a QuantileSketch document: {problem}")

    state = mapping(state, "a QuantileSketch document", _FIELDS, func)
    if state["kind"] != KIND:
        raise bad(f"kind must be {KIND!r}, got {safe_repr(state['kind'])}")
    ints = {f: state[f] for f in ("version", "k", "n", "max_rank_error")}
    for name, value in ints.items():
        if type(value) is not int or value < 0:
            raise bad(f"{name} must be a non-negative integer, got {describe(value)}")
    if ints["version"] > VERSION:
        raise bad(
            f"version {ints['version']} is newer than this library reads ({VERSION}); "
            "upgrade ml-infra-preprocessing"
        )
    k, n = ints["k"], ints["n"]
    problem = k_problem(k)
    if problem:
        raise bad(problem)
    levels_in, parity = state["levels"], state["parity"]
    if not isinstance(levels_in, list) or not isinstance(parity, list):
        raise bad("levels and parity must be lists")
    if len(parity) != len(levels_in) or any(p not in (0, 1) or type(p) is not int for p in parity):
        raise bad("parity must hold one 0 or 1 per level")
    levels: list[FloatArray] = []
    for h, level in enumerate(levels_in):
        if not isinstance(level, list) or h >= 62:
            raise bad(f"level {h} must be a list of numbers")
        if not all(type(v) in (int, float) for v in level):
            raise bad(f"level {h} must hold only numbers")
        try:
            array = np.asarray(level, dtype=np.float64).reshape(-1)
        except OverflowError:  # an int beyond float64
            array = np.full(1, np.inf)
        if not np.isfinite(array).all():
            raise bad(f"level {h} holds a value that is not finite")
        levels.append(array)
    weight = sum(level.size << h for h, level in enumerate(levels))
    if weight != n:
        raise bad(f"the levels stand for {weight} values, but n is {n}")
    if n == 0:
        if state["min"] is not None or state["max"] is not None:
            raise bad("min and max must be null for an empty sketch")
        return k, 0, ints["max_rank_error"], math.inf, -math.inf, levels, parity
    low, high = state["min"], state["max"]
    if type(low) not in (int, float) or type(high) not in (int, float):
        raise bad("min and max must be numbers")
    try:
        low, high = float(low), float(high)
    except OverflowError:
        raise bad("min and max must be finite and enclose every kept value") from None
    kept = np.concatenate(levels)
    if not (math.isfinite(low) and math.isfinite(high) and low <= kept.min() <= kept.max() <= high):
        raise bad("min and max must be finite and enclose every kept value")
    return k, n, ints["max_rank_error"], low, high, levels, list(parity)


def write_state(state: SketchState) -> dict[str, Any]:
    """The JSON-ready document of a sketch's state: floats as Python floats, written exactly.

    Example:
        >>> write_state((8, 0, 0, math.inf, -math.inf, [], []))["min"] is None
        True
    """
    k, n, error, low, high, levels, parity = state
    return {
        "kind": KIND,
        "version": VERSION,
        "k": k,
        "n": n,
        "max_rank_error": error,
        "min": low if n else None,
        "max": high if n else None,
        "levels": [level.tolist() for level in levels],
        "parity": list(parity),
    }


def read_document(text: str | bytes, func: str) -> SketchState:
    """Parse a sketch's JSON document and check it completely (see :func:`read_state`).

    Example:
        >>> read_document(json.dumps(write_state((8, 0, 0, 0.0, 0.0, [], []))), "f")[:2]
        (8, 0)
    """
    try:
        state = json.loads(text)
    except (TypeError, ValueError, RecursionError) as exc:
        raise StateError(f"{func}: text is not JSON, got {describe(text)}") from exc
    return read_state(state, func)
