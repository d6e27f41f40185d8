"""Fast, type-preserving normalization and validation of 1-D numeric data.

Example:
    >>> from ml_infra.preprocessing import normalize
    >>> normalize([1, 2, 3, 4, 5])
    [0.0, 0.25, 0.5, 0.75, 1.0]
"""

from ml_infra.preprocessing.__about__ import __version__
from ml_infra.preprocessing._errors import (
    ConstantDataError,
    DataShapeError,
    DataTypeError,
    EmptyDataError,
    InfiniteValueError,
    MissingValueError,
    OutOfRangeError,
    ParameterError,
    PreprocessingError,
)
from ml_infra.preprocessing._inputs import ensure_1d
from ml_infra.preprocessing._missing import check_missing_values

__all__ = [
    "ConstantDataError",
    "DataShapeError",
    "DataTypeError",
    "EmptyDataError",
    "InfiniteValueError",
    "MissingValueError",
    "OutOfRangeError",
    "ParameterError",
    "PreprocessingError",
    "__version__",
    "check_missing_values",
    "ensure_1d",
]
