"""How messages show user values: :func:`safe_repr` for one, :func:`format_list` for many.

Every message of this package renders the caller's values through these two
functions, so an object whose ``__repr__`` raises (or returns megabytes)
can never replace the package's error with its own.
"""

from __future__ import annotations

from typing import Any

__all__ = ["format_list", "safe_repr"]

_SHOWN = 10
_LONGEST = 120  # characters of one value's repr in a message


def safe_repr(value: object) -> str:
    """``repr(value)`` for a message: shortened, and never raising.

    Args:
        value: Any object the caller passed.

    Returns:
        The repr, cut to about a hundred characters (the cut says how long it
        was), or ``<unrepresentable Type object: repr raised Error>``.

    Example:
        >>> safe_repr("macro"), safe_repr(10**200)[-18:]
        ("'macro'", '... (201 characters)')
    """
    try:
        # str.__str__ turns a str subclass into a plain str: its own methods never run.
        text = str.__str__(repr(value))
    except Exception as exc:  # the point is to survive any __repr__
        return (
            f"<unrepresentable {type(value).__qualname__} object: "
            f"repr raised {type(exc).__qualname__}>"
        )
    if len(text) > _LONGEST:
        return f"{text[: _LONGEST - 20]}... ({len(text)} characters)"
    return text


def format_list(values: list[Any]) -> str:
    """Render values for a message as a Python list of their reprs, eliding after ten.

    Args:
        values: Positions, classes, ...

    Returns:
        E.g. ``['cat', 'dog']`` or ``[0, 1, ... (25 in all)]``.

    Example:
        >>> format_list(list(range(12)))
        '[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, ... (12 in all)]'
    """
    text = ", ".join(map(safe_repr, values[:_SHOWN]))
    if len(values) > _SHOWN:
        text += f", ... ({len(values)} in all)"
    return f"[{text}]"
