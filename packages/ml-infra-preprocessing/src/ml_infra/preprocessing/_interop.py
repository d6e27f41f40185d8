"""Arrays from other libraries: the DLPack and ``__array__`` protocols, torch, polars, Arrow.

Nothing here imports torch, polars or pyarrow. An object of one of them
can only exist when its library is imported already, so the object's type
(its ``__module__``) says which library it is, and ``sys.modules`` hands over
the module to build the result with. Everything else is read through the
protocols every array library speaks:

- ``__dlpack__`` (PyTorch, JAX, CuPy...): read in place with
  :func:`numpy.from_dlpack` when the memory is the CPU's; memory on an
  accelerator is refused unless the caller opted in with
  :func:`allow_host_copy`;
- ``__array__``, ``__array_interface__``, ``__array_struct__`` and the buffer
  protocol (``array.array``, ``memoryview``): read with :func:`numpy.asarray`.

polars and Arrow nulls are missing values: they come back as NaN (floats) or
``None`` (any other type, in an ``object`` array that keeps integers exact),
together with their mask, so results can put the nulls back.
"""

from __future__ import annotations

import array
import contextlib
import contextvars
import functools
import sys
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any, Literal, NamedTuple

import numpy as np
import numpy.typing as npt
from ml_infra.preprocessing._errors import DataShapeError, DataTypeError
from ml_infra.preprocessing._text import type_name

__all__ = [
    "Foreign",
    "ForeignKind",
    "allow_host_copy",
    "as_numpy",
    "from_library",
    "read_foreign",
]

#: The kinds of input read here (see ``Column1D.kind``).
ForeignKind = Literal["tensor", "polars", "arrow", "chunked_arrow", "array_like"]

_HOST_COPY: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "ml_infra_allow_host_copy", default=False
)
_DLPACK_CPU = 1
# DLPack device types (dlpack.h, DLDeviceType), for messages.
_DEVICES = {
    2: "CUDA",
    3: "CUDA host (pinned)",
    4: "OpenCL",
    7: "Vulkan",
    8: "Metal",
    9: "VPI",
    10: "ROCm",
    11: "ROCm host",
    12: "ext_dev",
    13: "CUDA managed",
    14: "oneAPI",
    15: "WebGPU",
    16: "Hexagon",
    17: "MAIA",
}
_LIBRARIES = ("torch", "polars", "pyarrow")
_ARRAY_HOOKS = ("__array__", "__array_interface__", "__array_struct__")


@contextlib.contextmanager
def allow_host_copy() -> Iterator[None]:
    """Let the functions copy arrays that live on an accelerator (a GPU) to the CPU.

    By default an array in accelerator memory (a CUDA tensor, say) is refused
    with an error that says how to move it (``.cpu()``), because the copy to
    the host is slow and usually a mistake in a loop. Inside this context the
    copy is made for you (with the array's ``.cpu()``, or ``.get()`` for
    CuPy), and a tensor result goes back to the input's device. The setting
    is a :mod:`contextvars` variable: it holds for the current thread or
    asyncio task only.

    Yields:
        Nothing; the permission ends with the ``with`` block.

    Example:
        >>> from ml_infra.preprocessing import allow_host_copy, normalize
        >>> with allow_host_copy():
        ...     normalize([1.0, 3.0])
        [0.0, 1.0]
    """
    token = _HOST_COPY.set(True)
    try:
        yield
    finally:
        _HOST_COPY.reset(token)


class Foreign(NamedTuple):
    """A protocol or library object, read.

    Attributes:
        values: The 1-D (or, to be refused, N-D) values, possibly the
            object's own memory (never write to it).
        kind: ``"tensor"``, ``"polars"``, ``"arrow"``, ``"chunked_arrow"`` or
            ``"array_like"`` (any other protocol object; results are ndarrays).
        nulls: The polars/Arrow null mask when there are nulls, else ``None``.
        library: The module that builds results of ``kind`` (torch, polars,
            pyarrow), else ``None``.
        name: A polars Series' name.
        device: A torch tensor's device when it was copied to the host.
    """

    values: npt.NDArray[Any]
    kind: ForeignKind
    nulls: npt.NDArray[np.bool_] | None = None
    library: ModuleType | None = None
    name: object = None
    device: object = None


def from_library(data: object) -> ModuleType | None:
    """The already imported module of torch, polars or pyarrow that ``data`` comes from.

    Args:
        data: Any object.

    Returns:
        The module when ``type(data)`` is defined in one of them, else ``None``.

    Example:
        >>> from_library([1, 2]) is None
        True
    """
    root = str(getattr(type(data), "__module__", "")).partition(".")[0]
    return sys.modules.get(root) if root in _LIBRARIES else None


def _device_name(data: object, device: tuple[int, int]) -> str:
    torch_device = getattr(data, "device", None) if from_library(data) is not None else None
    if torch_device is not None:
        return str(torch_device)
    kind = _DEVICES.get(device[0], f"DLPack device type {device[0]}")
    return f"{kind} device {device[1]}"


def _on_host(data: Any, name: str, func: str | None) -> Any:
    """``data`` when its memory is the CPU's, a host copy if allowed, else an error."""
    hook = getattr(type(data), "__dlpack_device__", None)
    if hook is None:
        return data
    device = tuple(int(v) for v in hook(data))
    if device[0] == _DLPACK_CPU:
        return data
    where = _device_name(data, (device[0], device[1]))
    head = f"{func}: " if func else ""
    if not _HOST_COPY.get():
        raise DataTypeError(
            f"{head}{name} must be in CPU memory, got a {type_name(data)} on {where}; move it "
            f"first with {name}.cpu(), or allow the copy with "
            "`with ml_infra.preprocessing.allow_host_copy():`"
        )
    for method in ("cpu", "get"):  # torch, JAX (cpu); CuPy (get)
        move = getattr(data, method, None)
        if callable(move):
            return move()
    raise DataTypeError(
        f"{head}{name} is on {where} and the {type_name(data)} has no .cpu() or .get() method "
        "to copy it to the host; copy it to a NumPy array first"
    )


def _from_dlpack(data: Any) -> npt.NDArray[Any]:
    """Read a CPU DLPack object in place; fall back to ``__array__`` for dtypes NumPy lacks."""
    try:
        return np.from_dlpack(data)
    except (BufferError, TypeError, ValueError, RuntimeError):
        if getattr(type(data), "__array__", None) is None:
            raise
        return np.asarray(data)


def _read_tensor(data: Any, library: ModuleType, name: str, func: str | None) -> Foreign:
    """A torch tensor: detached (no autograd error, no copy), its CPU memory read in place.

    ``Tensor.numpy()`` is torch's own zero-copy view of CPU memory (what
    DLPack gives, at a tenth of the cost per call); other devices go through
    :func:`_on_host`, which refuses them or copies them when allowed.
    """
    tensor = data.detach()
    device = None
    if tensor.device.type != "cpu":
        device = tensor.device
        tensor = _on_host(tensor, name, func)
    if tensor.dtype == library.bfloat16:
        head = f"{func}: " if func else ""
        raise DataTypeError(
            f"{head}{name} has dtype torch.bfloat16, which NumPy cannot hold; convert it "
            f"first, e.g. with {name}.float()"
        )
    values = tensor.resolve_conj().resolve_neg().numpy()
    return Foreign(values, "tensor", library=library, device=device)


def _null_values(
    floats: Callable[[], Any] | None, items: Callable[[], list[Any]]
) -> npt.NDArray[Any]:
    """Values with nulls: NaN in a float array, else ``None`` in an object array (exact ints).

    ``floats`` gives a float column's values (NaN at nulls); for any other
    column ``items`` gives the Python values (``None`` at nulls).
    """
    if floats is not None:
        return np.asarray(floats())
    values = items()
    return np.fromiter(values, dtype=object, count=len(values))


def _read_polars(data: Any, library: ModuleType) -> Foreign | None:
    if not isinstance(data, library.Series):
        return None
    nulls = None
    if data.null_count():
        nulls = np.asarray(data.is_null().to_numpy(), dtype=bool)
        values = _null_values(data.to_numpy if data.dtype.is_float() else None, data.to_list)
    else:
        values = np.asarray(data.to_numpy())
    return Foreign(values, "polars", nulls, library, data.name)


def _read_arrow(data: Any, library: ModuleType) -> Foreign | None:
    kind: ForeignKind
    if isinstance(data, library.ChunkedArray):
        kind = "chunked_arrow"
    elif isinstance(data, library.Array):
        kind = "arrow"
    else:
        return None
    nulls = None
    if data.null_count:
        nulls = np.asarray(data.is_null().to_numpy(zero_copy_only=False), dtype=bool)
        floats = functools.partial(data.to_numpy, zero_copy_only=False)
        values = _null_values(
            floats if library.types.is_floating(data.type) else None, data.to_pylist
        )
    else:
        values = np.asarray(data.to_numpy(zero_copy_only=False))
    return Foreign(values, kind, nulls, library)


def _is_buffer(data: object) -> bool:
    if isinstance(data, memoryview | array.array):
        return True
    if isinstance(data, str | bytes | bytearray):
        return False
    try:
        memoryview(data)  # type: ignore[arg-type]
    except TypeError:
        return False
    return True


def _check_shape(data: object, name: str, func: str | None) -> None:
    """Refuse a table or N-D array by its ``shape``, before converting anything."""
    shape = getattr(data, "shape", None)
    if isinstance(shape, tuple) and len(shape) != 1:
        dims = tuple(int(v) for v in shape)
        head = f"{func}: " if func else ""
        raise DataShapeError(
            f"{head}{name} must be 1-D, got a {len(dims)}-D {type_name(data)} of shape {dims}"
        )


def read_foreign(
    data: object, name: str, func: str | None, *, one_d: bool = True
) -> Foreign | None:
    """Read a torch, polars, pyarrow or protocol object; ``None`` for anything else.

    Args:
        data: The user's input (not a list, tuple, ndarray or pandas object).
        name: The argument's name, for messages.
        func: The public function's name, for messages.
        one_d: Refuse an object whose ``shape`` is not 1-D before reading it.

    Returns:
        The values and what rebuilding a result of the same kind needs, or
        ``None`` when ``data`` speaks none of the protocols.

    Raises:
        DataTypeError: An accelerator array without :func:`allow_host_copy`,
            or a dtype NumPy cannot hold (``torch.bfloat16``).
        DataShapeError: ``data`` has a ``shape`` that is not 1-D.

    Example:
        >>> import array
        >>> read_foreign(array.array("d", [1.0, 2.0]), "data", None).values.tolist()
        [1.0, 2.0]
    """
    if isinstance(data, np.generic):
        return None  # a NumPy scalar: not a sequence, as before
    library = from_library(data)
    if library is not None:
        if one_d:
            _check_shape(data, name, func)
        read = _read_library(data, library, name, func)
        if read is not None:
            return read
    cls = type(data)
    if getattr(cls, "__dlpack__", None) is not None:
        if one_d:
            _check_shape(data, name, func)
        return Foreign(_from_dlpack(_on_host(data, name, func)), "array_like")
    if any(getattr(cls, hook, None) is not None for hook in _ARRAY_HOOKS) or _is_buffer(data):
        if one_d:
            _check_shape(data, name, func)
        return Foreign(np.asarray(data), "array_like")
    return None


def _read_library(data: Any, library: ModuleType, name: str, func: str | None) -> Foreign | None:
    """A torch tensor, polars Series or Arrow array; ``None`` for their other types."""
    if library.__name__ == "torch":
        return _read_tensor(data, library, name, func) if isinstance(data, library.Tensor) else None
    if library.__name__ == "polars":
        return _read_polars(data, library)
    return _read_arrow(data, library)


def as_numpy(data: object, *, name: str = "data", func: str | None = None) -> npt.NDArray[Any]:
    """Return an array-like of any dimension as a NumPy array, by the protocols of ``ensure_1d``.

    For callers that need more than one dimension (a probability matrix from
    a model): a CPU tensor, also one that requires grad, is read in place
    through DLPack, an accelerator array is refused unless inside
    :func:`allow_host_copy`, and any other object goes through
    :func:`numpy.asarray`. The shape is not checked.

    Args:
        data: A tensor, an ndarray, a list of rows, or any array-like.
        name: The argument's name, used in error messages.
        func: The public function's name; messages start with it when given.

    Returns:
        An ndarray (possibly ``data``'s own memory: never write to it).

    Raises:
        DataTypeError: An accelerator array, a dtype NumPy cannot hold, or an
            object NumPy cannot convert (ragged rows, a hook that raises).

    Example:
        >>> as_numpy([[0.25, 0.75]]).shape
        (1, 2)
    """
    if isinstance(data, np.ndarray):
        return np.asarray(data)
    head = f"{func}: " if func else ""
    try:
        read = read_foreign(data, name, func, one_d=False)
        return np.asarray(data) if read is None else read.values
    except DataTypeError:
        raise
    except Exception as exc:  # ragged rows, a hook of the object that raises
        raise DataTypeError(
            f"{head}{name} could not be read: converting the {type_name(data)} to an array "
            f"raised {type_name(exc)}"
        ) from exc
