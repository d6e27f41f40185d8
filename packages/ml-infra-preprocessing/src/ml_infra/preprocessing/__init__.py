"""Fast, type-preserving scaling and validation of numeric data, as functions or fitted objects.

Example:
    >>> from ml_infra.preprocessing import normalize
    >>> normalize([1, 2, 3, 4, 5])
    [0.0, 0.25, 0.5, 0.75, 1.0]
"""

from ml_infra.preprocessing.__about__ import __version__
from ml_infra.preprocessing._checks import check_missing_values, validate_range
from ml_infra.preprocessing._clipper import OutlierClipper
from ml_infra.preprocessing._clipping import clip_outliers
from ml_infra.preprocessing._documents import from_json
from ml_infra.preprocessing._errors import (
    ConstantDataError,
    DataShapeError,
    DataTypeError,
    EmptyDataError,
    InfiniteValueError,
    MissingValueError,
    NotFittedError,
    OutOfRangeError,
    ParameterError,
    PreprocessingError,
    StateError,
)
from ml_infra.preprocessing._inputs import ensure_1d
from ml_infra.preprocessing._interop import allow_host_copy, as_numpy
from ml_infra.preprocessing._scalers import MinMaxScaler, StandardScaler
from ml_infra.preprocessing._scaling import normalize, standardize
from ml_infra.preprocessing._sketch import QuantileSketch
from ml_infra.preprocessing._types import TypeReport, check_data_types

__all__ = [
    "ConstantDataError",
    "DataShapeError",
    "DataTypeError",
    "EmptyDataError",
    "InfiniteValueError",
    "MinMaxScaler",
    "MissingValueError",
    "NotFittedError",
    "OutOfRangeError",
    "OutlierClipper",
    "ParameterError",
    "PreprocessingError",
    "QuantileSketch",
    "StandardScaler",
    "StateError",
    "TypeReport",
    "__version__",
    "allow_host_copy",
    "as_numpy",
    "check_data_types",
    "check_missing_values",
    "clip_outliers",
    "ensure_1d",
    "from_json",
    "normalize",
    "standardize",
    "validate_range",
]

# Public classes carry their public module: tracebacks, reprs and pickles name
# ml_infra.<sub>.X, never the private module that defines it.
for _name in __all__:
    _obj = globals()[_name]
    if isinstance(_obj, type):
        _obj.__module__ = __name__
del _name, _obj
