"""The shared input gate: any supported 1-D input, read once into a :class:`Column1D`.

The record holds the values as a NumPy array, the input's kind, and what
building a result of that kind needs (index and name, the library's module,
the null mask, the device); :meth:`Column1D.wrap` builds it. pandas, torch,
polars and pyarrow are optional: they are never imported here. Their objects
can only exist if the caller imported them, so ``sys.modules`` tells whether
to look (see ``_interop`` for the array protocols and those libraries).

Whatever a container or its elements do while being read (a ``len()`` that
overstates the items, an ``__array__`` that raises) ends in a
:class:`DataTypeError`, or in an ``object`` array whose odd values the callers
report: never in the user's own exception.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from ml_infra.preprocessing._errors import DataShapeError, DataTypeError, PreprocessingError
from ml_infra.preprocessing._interop import ForeignKind, read_foreign
from ml_infra.preprocessing._parameters import text_parameter
from ml_infra.preprocessing._text import type_name

__all__ = ["Column1D", "InputKind", "Items", "ensure_1d", "masked_entries", "prefix", "read_1d"]

_ACCEPTED = "a 1-D array-like (list, tuple, array, Series, tensor, or any __array__/DLPack object)"

#: The elements of a sequence input, as read (a plain list or tuple).
Items = list[Any] | tuple[Any, ...]

#: What came in, which decides what goes out (see :meth:`Column1D.wrap`).
InputKind = Literal["list", "tuple", "sequence", "ndarray", "series"] | ForeignKind


@dataclass(frozen=True, slots=True, eq=False)
class Column1D:
    """One 1-D input, read once: its values, its kind, and how to give a result its kind.

    Attributes:
        values: The values as a 1-D array; possibly the caller's own memory
            (an ndarray, a CPU tensor, an Arrow buffer): never write to it.
        kind: What came in: ``"list"``, ``"tuple"``, ``"sequence"`` (another
            sequence, such as ``range``), ``"ndarray"``, ``"series"`` (pandas),
            ``"tensor"`` (torch), ``"polars"``, ``"arrow"``, ``"chunked_arrow"``
            or ``"array_like"`` (any other ``__array__``/DLPack/buffer object).
        items: The elements of a list/tuple/sequence as read, else ``None``.
        missing: Entries that have no value although ``values`` shows one
            (masked entries, polars/Arrow nulls), or ``None`` when there are none.
        index: A pandas Series' index.
        name: A pandas or polars Series' name.
        library: The module that builds results of ``kind`` (pandas, torch,
            polars, pyarrow), found in ``sys.modules``, never imported.
        device: The device a tensor was copied from (see ``allow_host_copy``).
    """

    values: npt.NDArray[Any]
    kind: InputKind
    items: Items | None = None
    missing: npt.NDArray[np.bool_] | None = None
    index: Any = None
    name: Any = None
    library: ModuleType | None = None
    device: Any = None

    def wrap(self, result: npt.NDArray[Any]) -> Any:
        """Give ``result`` (one value per input value) the input's kind.

        A list of Python floats for a list, a tuple for a tuple, a Series with
        the same index and name for a pandas Series, a tensor for a tensor
        (made from ``result`` without a copy, on the input's device), a polars
        Series with the same name, an Arrow array (chunked for a chunked one);
        the input's nulls are nulls again. Anything else gets ``result``.

        Args:
            result: A 1-D array, which becomes the output's memory when it can.

        Returns:
            The result, of the input's kind.

        Example:
            >>> read_1d([3, 4]).wrap(np.array([0.0, 1.0]))
            [0.0, 1.0]
        """
        kind, lib = self.kind, self.library
        if kind == "list":
            return result.tolist()
        if kind == "tuple":
            return tuple(result.tolist())
        if lib is None:
            return result
        if kind == "series":
            return lib.Series(result, index=self.index, name=self.name, copy=False)
        if kind == "tensor":
            tensor = lib.from_numpy(result)
            return tensor if self.device is None else tensor.to(self.device)
        if kind == "polars":
            series = lib.Series(self.name, result, nan_to_null=False)
            if self.missing is None:
                return series
            return series.scatter(np.flatnonzero(self.missing), None)
        out = lib.array(result, mask=self.missing)
        return lib.chunked_array([out]) if kind == "chunked_arrow" else out


def masked_entries(data: object) -> npt.NDArray[np.bool_] | None:
    """Return the mask of a 1-D masked array with masked entries, else ``None``.

    Args:
        data: The user's input.

    Returns:
        ``True`` where ``data`` is masked, or ``None`` when nothing is masked.

    Example:
        >>> masked_entries(np.ma.array([1.0, 2.0], mask=[False, True])).tolist()
        [False, True]
    """
    if isinstance(data, np.ma.MaskedArray) and np.ma.is_masked(data):
        return np.ma.getmaskarray(data).reshape(-1)
    return None


def prefix(func: str | None) -> str:
    """Return the message prefix naming the calling function, if any.

    Args:
        func: The public function's name, or ``None``.

    Returns:
        ``"func: "`` or an empty string.

    Example:
        >>> prefix("normalize")
        'normalize: '
    """
    return f"{func}: " if func else ""


def _pandas_kind(data: object) -> str | None:
    """Return ``"Series"``/``"DataFrame"`` for pandas objects, else ``None``."""
    pd = sys.modules.get("pandas")
    if pd is None:
        return None
    if isinstance(data, pd.Series):
        return "Series"
    if isinstance(data, pd.DataFrame):
        return "DataFrame"
    return None


def _shape_error(arr: npt.NDArray[Any], kind: str, name: str, func: str | None) -> DataShapeError:
    return DataShapeError(
        f"{prefix(func)}{name} must be 1-D, got a {arr.ndim}-D {kind} of shape {arr.shape}"
    )


def _objects(items: Items) -> npt.NDArray[Any]:
    """The items as a 1-D ``object`` array, whatever they are (no conversion, no nesting)."""
    return np.fromiter(items, dtype=object, count=len(items))


def _from_items(items: Items) -> npt.NDArray[Any]:
    """Convert a list/tuple without silently coercing mixed or ragged content."""
    try:
        arr = np.asarray(items)
    except Exception:
        # Ragged nesting ("inhomogeneous shape") or odd elements (an __array__
        # or __len__ that raises): keep them as objects so callers can report them.
        return _objects(items)
    kind = arr.dtype.kind
    # NumPy turns ["a", 1] into strings; only a pure str (bytes) list may stay so.
    if kind == "U" and not all(type(v) is str for v in items):
        return _objects(items)
    if kind == "S" and not all(type(v) is bytes for v in items):
        return _objects(items)
    return arr


def _read_items(data: Sequence[Any], name: str, func: str | None) -> list[Any]:
    """The items of any other sequence, read by index up to its ``len()``.

    Reading by index is bounded by ``len()`` (iteration may never end), and a
    ``len()`` that overstates the items is reported, not trusted.
    """
    what = f"{prefix(func)}{name} could not be read"
    try:
        size = len(data)
    except Exception as exc:
        raise DataTypeError(
            f"{what}: len() of the {type_name(data)} raised {type_name(exc)}"
        ) from exc
    try:
        items = np.empty(size, dtype=object)  # an absurd len() fails here, at once
    except (MemoryError, ValueError) as exc:
        raise DataTypeError(
            f"{what}: the {type_name(data)} claims {size} items, more than memory holds"
        ) from exc
    for i in range(size):
        try:
            items[i] = data[i]
        except Exception as exc:
            raise DataTypeError(
                f"{what}: item {i} of the {type_name(data)} raised {type_name(exc)} "
                f"(its len() is {size})"
            ) from exc
    result: list[Any] = items.tolist()
    return result


def _series_values(series: Any) -> npt.NDArray[Any]:
    """A Series' values; a nullable integer column with ``NA`` keeps its exact ints.

    pandas 3 turns ``Int64`` with ``NA`` into float64, rounding ints beyond
    2**53; as objects (``None`` for ``NA``) they stay exact.
    """
    arr = np.asarray(series.to_numpy())
    if arr.dtype.kind == "f" and getattr(series.dtype, "kind", "f") in "iu":
        arr = np.asarray(series.to_numpy(dtype=object, na_value=None))
    return arr


def _foreign_column(data: object, name: str, func: str | None) -> Column1D | None:
    read = read_foreign(data, name, func)
    if read is None:
        return None
    return Column1D(
        read.values,
        read.kind,
        missing=read.nulls,
        name=read.name,
        library=read.library,
        device=read.device,
    )


def _convert(data: object, name: str, func: str | None) -> Column1D:
    """The record of any input but a plain ndarray (see :func:`read_1d`)."""
    if type(data) is list or type(data) is tuple:
        return Column1D(_from_items(data), "list" if type(data) is list else "tuple", data)
    pandas_kind = _pandas_kind(data)
    if pandas_kind == "Series":
        series: Any = data
        return Column1D(
            _series_values(series),
            "series",
            index=series.index,
            name=series.name,
            library=sys.modules["pandas"],
        )
    if pandas_kind == "DataFrame":
        raise _shape_error(np.empty(data.shape), "DataFrame", name, func)  # type: ignore[attr-defined]
    if isinstance(data, np.ndarray):  # subclasses (matrix, masked arrays)
        return Column1D(np.asarray(data), "ndarray", missing=masked_entries(data))
    if isinstance(data, list | tuple):  # subclasses: read the items, not their hooks
        items = _read_items(data, name, func)
        return Column1D(_from_items(items), "list" if isinstance(data, list) else "tuple", items)
    foreign = _foreign_column(data, name, func)
    if foreign is not None:
        return foreign
    if isinstance(data, Sequence) and not isinstance(data, str | bytes | bytearray):
        items = _read_items(data, name, func)  # range, other sequences: read by index
        return Column1D(_from_items(items), "sequence", items)
    got = "None" if data is None else type_name(data)
    raise DataTypeError(f"{prefix(func)}{name} must be {_ACCEPTED}, got {got}")


def read_1d(data: object, *, name: str = "data", func: str | None = None) -> Column1D:
    """The gate itself: read ``data`` once into a :class:`Column1D` record.

    Args:
        data: The values.
        name: The argument's name, used in error messages.
        func: The public function's name; messages start with it when given.

    Returns:
        The record: the values as a 1-D array, the input's kind, and what
        building a result of that kind needs (:meth:`Column1D.wrap`).

    Raises:
        DataTypeError: as :func:`ensure_1d`.
        DataShapeError: ``data`` is not one-dimensional.

    Example:
        >>> column = read_1d((1, 2))
        >>> column.values.tolist(), column.kind, column.items
        ([1, 2], 'tuple', (1, 2))
    """
    if type(data) is np.ndarray:
        column = Column1D(data, "ndarray")
    else:
        try:
            column = _convert(data, name, func)
        except PreprocessingError:
            raise
        except Exception as exc:  # a container or a hook of it that raises
            raise DataTypeError(
                f"{prefix(func)}{name} could not be read: converting the {type_name(data)} "
                f"to an array raised {type_name(exc)}"
            ) from exc
    arr = column.values
    if arr.ndim != 1:
        kind = "array" if isinstance(data, np.ndarray) else type_name(data)
        raise _shape_error(arr, kind, name, func)
    return column


def ensure_1d(data: object, *, name: str = "data", func: str | None = None) -> npt.NDArray[Any]:
    """Return ``data`` as a 1-D NumPy array: the gate every function here uses.

    Accepts a list, a tuple (or another sequence such as ``range``), a 1-D
    NumPy array, a pandas or polars Series (its values, positions not index
    labels), a pyarrow ``Array``/``ChunkedArray``, a PyTorch tensor, and any
    object with ``__dlpack__``, ``__array__`` or the buffer protocol
    (``array.array``, ``memoryview``). polars and Arrow nulls become NaN in a
    float column, ``None`` in an ``object`` array otherwise (integers stay
    exact). An ndarray comes back as is, without a copy, in constant time, and
    CPU memory behind a protocol is read in place: callers must treat the
    result as read-only. Memory on an accelerator (a CUDA tensor) is refused
    unless inside :func:`allow_host_copy`. A list mixing strings with numbers,
    with ragged nesting, or holding objects NumPy cannot convert (an
    ``__array__`` that raises) becomes an ``object`` array (NumPy would
    silently turn ``["a", 1]`` into strings), so callers can detect and report
    the odd values. Other sequences are read by index up to their ``len()``.

    Args:
        data: The values.
        name: The argument's name, used in error messages.
        func: The public function's name; messages start with it when given.

    Returns:
        A 1-D ndarray (possibly ``data`` itself; never write to it).

    Raises:
        DataTypeError: ``data`` is ``None``, a scalar, a string/bytes, a dict,
            a set or another non-sequence, a sequence whose items cannot be
            read (``len()`` raises or overstates them), an array in accelerator
            memory, or a dtype NumPy cannot hold (``torch.bfloat16``).
        DataShapeError: ``data`` is not one-dimensional (e.g. a 2-D array, a
            nested list or a DataFrame).
        ParameterError: ``name`` or ``func`` is not a string.

    Example:
        >>> ensure_1d([1, 2, 3]).dtype.kind
        'i'
        >>> ensure_1d(["a", 1]).dtype
        dtype('O')
    """
    name = text_parameter(name, "name", "ensure_1d")
    if func is not None:
        func = text_parameter(func, "func", "ensure_1d")
    return read_1d(data, name=name, func=func).values
