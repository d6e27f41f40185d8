"""Hostile values for the fuzz suites of all four distributions.

Import what you need; everything below is the whole API::

    from tests.fuzz.strategies import BOOM, data, fingerprint, fuzz_settings, parameters

Strategies (each a function returning a hypothesis strategy):

- :func:`scalars`: anything a user may put in a sequence: exact reals of every
  kind (huge ints, Fractions, Decimals), NaN/inf/sNaN, bools, ``None``, pandas
  ``NA``/``NaT``, NumPy scalars of every dtype (longdouble, complex,
  datetime64, timedelta64), strings, and :func:`hostile_objects`.
- :func:`exact_reals`: finite real numbers whose exact value
  ``Fraction(exact(v))`` is a reference (``finite_float=True`` keeps them
  within the float64 range).
- :func:`hostile_objects`: objects whose ``__repr__``, ``__float__``,
  ``__array__``, ``__eq__``, ``__len__``, ``__bool__`` ... raise :data:`BOOM`
  or lie.
- :func:`arrays`: 1-D arrays of every NumPy dtype (both byte orders, read-only,
  strided views, masked), object arrays of :func:`scalars`, and a few that
  are not 1-D.
- :func:`sequences`: lists, tuples, ``UserList``, ``range``, list subclasses and
  ``Sequence`` objects whose ``len()`` lies or raises, holding the elements
  given.
- :func:`nullable_series`: pandas Series of nullable dtypes (``Int64``,
  ``Float64``, ``boolean``, ``string``) with ``NA``, and object Series.
- :func:`data`: everything a ``data``/``y_true`` argument may be, including
  non-sequences (``None``, scalars, dicts, sets, DataFrames).
- :func:`parameters`: odd values for any other argument.

Hostile classes (for unit tests too): ``RaisingRepr``, ``RaisingEq``,
``ArrayEq``, ``RaisingBool``, ``RaisingArray``, ``RaisingLenElement``,
``RaisingFloat`` and ``LyingFloat`` (registered ``numbers.Real``),
``RaisingEqStr``, ``LyingSequence``, ``RaisingSequence``, ``LyingList``.

Helpers: :func:`fingerprint` (compare before/after to prove an input was not
mutated), :func:`exact` (the exact value of an exact real), :func:`fuzz_settings`
(the budget set by ``ML_INFRA_FUZZ_EXAMPLES``, registered in ``conftest.py``).
Hostile hooks raise :class:`Boom`, so a test can tell that it escaped.
"""

from __future__ import annotations

import array
import math
import numbers
from collections import UserList
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

import hypothesis.extra.numpy as npst
import numpy as np
import pandas as pd
from hypothesis import settings
from hypothesis import strategies as st

__all__ = [
    "BOOM",
    "PROFILE",
    "ArrayEq",
    "Boom",
    "LyingFloat",
    "LyingList",
    "LyingSequence",
    "RaisingArray",
    "RaisingBool",
    "RaisingEq",
    "RaisingEqStr",
    "RaisingFloat",
    "RaisingLenElement",
    "RaisingRepr",
    "RaisingSequence",
    "arrays",
    "data",
    "exact",
    "exact_reals",
    "fingerprint",
    "fuzz_settings",
    "hostile_objects",
    "nullable_series",
    "parameters",
    "scalars",
    "sequences",
]

#: The hypothesis profile ``tests/fuzz/conftest.py`` registers.
PROFILE = "ml-infra-fuzz"
MAX_SIZE = 12  # elements of a drawn sequence or array


class Boom(Exception):  # noqa: N818 - what a hostile hook raises, named for what it does
    """Raised by every hostile hook; a package's own error must never be this."""


#: The one instance hostile hooks raise (``raise BOOM``).
BOOM = Boom("hostile hook")


def _named(name: str, strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """``strategy``, shown as ``name()``: hypothesis prints a strategy when a draw is
    rejected, and the full repr of these is huge (or fails, for a huge int)."""

    def draw_from(draw: st.DrawFn) -> Any:
        return draw(strategy)

    draw_from.__name__ = draw_from.__qualname__ = name
    return st.composite(draw_from)()


def fuzz_settings(**overrides: Any) -> settings:
    """The fuzz budget (``ML_INFRA_FUZZ_EXAMPLES``) as a ``@settings`` decorator.

    Example::

        @fuzz_settings()
        @given(value=data())
        def test_x(value): ...
    """
    return settings(settings.get_profile(PROFILE), **overrides)


# ---------------------------------------------------------------- hostile objects
class _Shown:
    """Shown by hypothesis as ``Name()`` in a falsifying example (its repr may raise)."""

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(f"{type(self).__name__}()")


class RaisingRepr(_Shown):
    """``repr`` and ``str`` raise."""

    def __repr__(self) -> str:
        raise BOOM

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        raise BOOM


class RaisingEq(_Shown):
    """Every comparison raises (``in``, ``==``, sorting)."""

    def __eq__(self, other: object) -> bool:
        raise BOOM

    __ne__ = __lt__ = __le__ = __gt__ = __ge__ = __eq__
    __hash__ = object.__hash__


class ArrayEq(_Shown):
    """Compares like a NumPy array: ``==`` gives an array, whose truth is ambiguous."""

    def __eq__(self, other: object) -> Any:
        return np.array([True, False])

    __ne__ = __eq__
    __hash__ = object.__hash__


class RaisingBool(_Shown):
    """``bool()`` raises."""

    def __bool__(self) -> bool:
        raise BOOM


class RaisingArray(_Shown):
    """NumPy's ``__array__`` (and the array interface) raise."""

    def __array__(self, *args: Any, **kwargs: Any) -> Any:
        raise BOOM

    @property
    def __array_interface__(self) -> Any:
        raise BOOM


class RaisingLenElement(_Shown):
    """Looks like a sequence to NumPy, but ``len()`` raises."""

    def __len__(self) -> int:
        raise BOOM

    def __getitem__(self, index: int) -> int:
        return 1


class RaisingFloat(_Shown):
    """A ``numbers.Real`` (registered) whose ``__float__``/``__int__``/``__index__`` raise."""

    def __float__(self) -> float:
        raise BOOM

    __int__ = __index__ = __float__


class LyingFloat(_Shown):
    """A ``numbers.Real`` (registered) whose ``__float__`` returns a str."""

    def __float__(self) -> Any:
        return "1.0"


numbers.Real.register(RaisingFloat)
numbers.Real.register(LyingFloat)


class RaisingEqStr(str):
    """A str whose comparisons and hash raise."""

    def __eq__(self, other: object) -> bool:
        raise BOOM

    __ne__ = __eq__

    def __hash__(self) -> int:
        raise BOOM


class LyingSequence(_Shown, Sequence[Any]):
    """A Sequence whose ``len()`` overstates (or understates) its items."""

    def __init__(self, items: list[Any], claimed: int) -> None:
        self._items = items
        self._claimed = claimed

    def __len__(self) -> int:
        return self._claimed

    def __getitem__(self, index: Any) -> Any:
        return self._items[index]


class RaisingSequence(_Shown, Sequence[Any]):
    """A Sequence whose ``len()`` or item access raises."""

    def __init__(self, items: list[Any], *, raising_len: bool) -> None:
        self._items = items
        self._raising_len = raising_len

    def __len__(self) -> int:
        if self._raising_len:
            raise BOOM
        return len(self._items)

    def __getitem__(self, index: Any) -> Any:
        raise BOOM


class LyingList(list[Any]):
    """A list subclass whose ``len()`` overstates and whose iteration never ends."""

    def __len__(self) -> int:
        return super().__len__() + 3

    def __iter__(self) -> Any:
        while True:
            yield 1.0


def hostile_objects() -> st.SearchStrategy[Any]:
    """Objects whose hooks raise :data:`BOOM` or lie (a new instance per draw)."""
    makers = [RaisingRepr, RaisingEq, ArrayEq, RaisingBool, RaisingArray, RaisingLenElement]
    makers += [RaisingFloat, LyingFloat, lambda: RaisingEqStr("omit"), object]
    return _named("hostile_objects", st.sampled_from(makers).map(lambda make: make()))


# ---------------------------------------------------------------- numbers and scalars
_EDGE_INTS = [0, 1, -1, 2**53, 2**53 + 1, -(2**53) - 1, 2**62 + 1, 2**63, 2**64, 10**400]


def exact_reals(*, finite_float: bool = False) -> st.SearchStrategy[Any]:
    """Finite real numbers of every kind whose exact value :func:`exact` knows.

    Args:
        finite_float: Keep them within the float64 range (no ``10**400``).
    """
    limit = 2**1023 if finite_float else 10**500
    ints = st.integers(-limit, limit) | st.sampled_from(
        [v for v in _EDGE_INTS if abs(v) < limit] + [-(2**63), 2**63 - 1]
    )
    floats = st.floats(allow_nan=False, allow_infinity=False)
    fractions = st.builds(Fraction, ints, st.integers(1, 10**30))
    decimals = st.decimals("-1e300", "1e300", allow_nan=False, allow_infinity=False)
    if not finite_float:
        decimals |= st.sampled_from([Decimal("1e400"), Decimal("-7e-400"), Decimal(2**53 + 1)])
    numpy_ints = st.sampled_from([np.int8, np.int16, np.int32, np.int64]).flatmap(
        lambda kind: st.integers(int(np.iinfo(kind).min), int(np.iinfo(kind).max)).map(kind)
    ) | st.integers(0, 2**64 - 1).map(np.uint64)
    numpy_floats = st.sampled_from([np.float16, np.float32, np.float64]).flatmap(
        lambda kind: st.floats(
            -float(np.finfo(kind).max),
            float(np.finfo(kind).max),
            width=np.finfo(kind).bits,
        ).map(kind)
    )
    strategy = st.one_of(ints, floats, fractions, decimals, numpy_ints, numpy_floats)
    return _named("exact_reals", strategy)


def exact(value: Any) -> Fraction:
    """The exact value of a finite real from :func:`exact_reals` (the reference)."""
    if isinstance(value, np.floating):
        return Fraction(*value.as_integer_ratio())
    if isinstance(value, np.integer):
        return Fraction(int(value))
    return Fraction(value)


_SPECIAL = [
    math.nan,
    math.inf,
    -math.inf,
    -0.0,
    5e-324,
    Decimal("NaN"),
    Decimal("sNaN"),
    Decimal("-Infinity"),
    Decimal("1e400"),
    Fraction(10**400, 3),
    True,
    np.bool_(False),
    None,
    pd.NA,
    pd.NaT,
    np.datetime64("NaT"),
    np.timedelta64(1, "D"),
    np.timedelta64("NaT"),
    np.datetime64("2024-01-01"),
    np.longdouble(1) + np.longdouble(2) ** -60,
    np.longdouble("1e4000") if np.finfo(np.longdouble).maxexp > 1024 else np.longdouble(1),
    np.complex128(1 + 2j),
    1j,
    "1.5",
    b"2",
    np.str_("x"),
    [1, 2],
    {},
]


def scalars() -> st.SearchStrategy[Any]:
    """Anything a user may put in a sequence: numbers, markers, oddities, hostile objects."""
    strategy = st.one_of(
        exact_reals(),
        st.sampled_from(_SPECIAL),
        st.just(-(10**5000)),  # beyond Python's int-to-str limit
        npst.from_dtype(np.dtype(np.longdouble)),
        hostile_objects(),
    )
    return _named("scalars", strategy)


# ---------------------------------------------------------------- containers
def _dtypes() -> st.SearchStrategy[np.dtype[Any]]:
    return st.one_of(
        npst.boolean_dtypes(),
        npst.integer_dtypes(endianness="?"),
        npst.unsigned_integer_dtypes(endianness="?"),
        npst.floating_dtypes(endianness="?", sizes=(16, 32, 64, 128)),
        npst.complex_number_dtypes(sizes=(64, 128, 256)),
        npst.datetime64_dtypes(),
        npst.timedelta64_dtypes(),
        npst.unicode_string_dtypes(max_len=3),
        npst.byte_string_dtypes(max_len=3),
    )


def _odd_layout(arr: np.ndarray[Any, Any], how: str) -> Any:
    if how == "readonly":
        arr.flags.writeable = False
    elif how == "strided":
        return np.repeat(arr, 2)[::2]
    elif how == "masked":
        return np.ma.masked_array(arr, mask=np.arange(arr.size) % 3 == 1)
    return arr


def arrays() -> st.SearchStrategy[Any]:
    """1-D arrays of every dtype and layout, object arrays of :func:`scalars`, and non-1-D ones."""
    shape = st.integers(0, MAX_SIZE).map(lambda n: (n,))
    typed = npst.arrays(_dtypes(), shape)
    objects = st.lists(scalars(), max_size=MAX_SIZE).map(
        lambda items: np.fromiter(items, dtype=object, count=len(items))
    )
    layouts = st.sampled_from(["plain", "readonly", "strided", "masked"])
    odd_shapes = npst.arrays(np.float64, npst.array_shapes(min_dims=0, max_dims=3, max_side=3))
    strategy = st.one_of(
        st.builds(_odd_layout, typed | objects, layouts), odd_shapes.filter(lambda a: a.ndim != 1)
    )
    return _named("arrays", strategy)


def sequences(elements: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Containers holding ``elements``: plain ones and ones whose ``len()`` lies or raises."""
    items = st.lists(elements, max_size=MAX_SIZE)
    return _named(
        "sequences",
        st.one_of(
            items,
            items.map(tuple),
            items.map(UserList),
            st.builds(LyingSequence, items, st.integers(0, 2 * MAX_SIZE) | st.just(2**62)),
            st.builds(RaisingSequence, items, raising_len=st.booleans()),
            items.map(LyingList),
            st.builds(range, st.integers(-5, 5), st.integers(-5, 20)),
            st.lists(st.floats(), max_size=MAX_SIZE).map(lambda v: array.array("d", v)),
            items.map(lambda v: pd.Series(np.fromiter(v, dtype=object, count=len(v)))),
        ),
    )


_NULLABLE = ["Int8", "Int64", "UInt64", "Float32", "Float64", "boolean", "string", "category"]


def nullable_series() -> st.SearchStrategy[Any]:
    """pandas Series of nullable dtypes, with ``NA``."""
    values = st.lists(st.integers(-(2**63), 2**63 - 1) | st.none(), max_size=MAX_SIZE)

    def build(dtype: str, raw: list[Any]) -> Any:
        try:
            return pd.Series(raw, dtype=dtype)
        except Exception:  # values the dtype cannot hold (pandas raises several kinds)
            return pd.Series(raw, dtype=object)

    return _named("nullable_series", st.builds(build, st.sampled_from(_NULLABLE), values))


def data() -> st.SearchStrategy[Any]:
    """Everything a data argument may be: sequences, arrays, Series and non-sequences."""
    numeric = st.lists(exact_reals(finite_float=True), min_size=1, max_size=MAX_SIZE)
    return _named(
        "data",
        st.one_of(
            sequences(scalars()),
            arrays(),
            nullable_series(),
            numeric,  # often valid, so the computing paths run too
            numeric.map(lambda v: np.asarray([float(x) for x in v])),
            st.sampled_from([None, 3.5, "abc", b"abc", {"a": 1}, {1, 2}, iter([1.0])]),
            st.just(pd.DataFrame({"a": [1.0, 2.0]})),
            hostile_objects(),
        ),
    )


def parameters(*valid: Any) -> st.SearchStrategy[Any]:
    """Odd values for a non-data argument, mixed with the ``valid`` ones given."""
    odd = st.one_of(
        scalars(),
        st.text(max_size=8),
        st.sampled_from([np.array(["omit", "omit"]), np.array([1.0, 2.0]), (0, 1, 2), (1,)]),
        st.tuples(scalars(), scalars()),
        st.lists(scalars(), max_size=3),
        hostile_objects(),
    )
    return _named("parameters", st.sampled_from(valid) | odd if valid else odd)


# ---------------------------------------------------------------- mutation check
def _element_key(value: Any) -> Any:
    if type(value) in (int, float, str, bytes, bool, Fraction, Decimal) or value is None:
        return (type(value), repr(value) if type(value) is not int else value)
    return ("id", id(value))


def fingerprint(value: Any) -> Any:
    """A snapshot of ``value``'s content: equal before and after unless it was mutated.

    Arrays: dtype, shape, bytes (identities of the objects of an object array),
    mask, writeable flag; Series: values, index, name, dtype; lists and other
    containers: their elements' identities (recursively for nested containers).
    Never calls a hostile hook.
    """
    if isinstance(value, np.ndarray):
        raw = value.view(np.ndarray)  # a masked array's data, not its filled copy
        if value.dtype == object:
            content: Any = tuple(_element_key(v) for v in raw.ravel().tolist())
        else:
            content = raw.tobytes()
        mask = np.ma.getmaskarray(value).tobytes() if np.ma.isMaskedArray(value) else None
        return (type(value), value.dtype.str, value.shape, content, mask, value.flags.writeable)
    if isinstance(value, pd.Series):  # its values as NumPy holds them (no hashing, no ==)
        values = fingerprint(np.asarray(value.to_numpy()))
        return ("Series", str(value.dtype), value.name, tuple(value.index.tolist()), values)
    if type(value) in (list, tuple, UserList):
        return (type(value), tuple(fingerprint(v) for v in value))
    if isinstance(value, LyingSequence | RaisingSequence):
        return (type(value), id(value), tuple(map(_element_key, value._items)))
    if isinstance(value, LyingList):
        return (type(value), tuple(map(_element_key, list.__iter__(value))))
    return _element_key(value)
