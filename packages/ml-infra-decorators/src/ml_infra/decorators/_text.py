"""How messages show the caller's objects, never raising: values and exceptions.

Every message of this package renders user values through :func:`describe`
(or :func:`safe_repr`), and exceptions through :func:`exception_summary`, so
an object whose ``__repr__`` or ``__str__`` raises (or returns megabytes) can
never replace the package's error, or a retried function's own exception.
"""

from __future__ import annotations

__all__ = ["describe", "exception_summary", "safe_repr"]

_LONGEST = 120  # characters of one value's repr in a message
_SUMMARY_LIMIT = 300  # characters of an exception summary


def safe_repr(value: object) -> str:
    """``repr(value)`` for a message: shortened, and never raising.

    Args:
        value: Any object the caller passed.

    Returns:
        The repr, cut to about a hundred characters (the cut says how long it
        was), or ``<unrepresentable Type object: repr raised Error>``.

    Example:
        >>> safe_repr("s"), safe_repr(10**200)[-18:]
        ("'s'", '... (201 characters)')
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


def describe(value: object) -> str:
    """The type and the repr of a value, as messages show what they got.

    Args:
        value: Any object the caller passed.

    Returns:
        ``"<type name> <safe repr>"``.

    Example:
        >>> describe("3")
        "str '3'"
    """
    return f"{type(value).__name__} {safe_repr(value)}"


def exception_summary(exc: BaseException) -> str:
    """``Type: message`` of an exception on one line, safe against a broken ``__str__``.

    Args:
        exc: The exception.

    Returns:
        A one-line summary, truncated to a few hundred characters.

    Example:
        >>> exception_summary(ValueError("bad"))
        'ValueError: bad'
    """
    name = type(exc).__qualname__
    try:
        text = str.__str__(str(exc))
    except Exception:  # a broken __str__ must not hide the real error
        text = "<unprintable>"
    summary = f"{name}: {text}" if text else name
    summary = " ".join(summary.split())
    if len(summary) > _SUMMARY_LIMIT:
        summary = summary[: _SUMMARY_LIMIT - 3] + "..."
    return summary
