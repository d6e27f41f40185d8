"""Fast, type-preserving normalization and validation of 1-D numeric data."""

from ml_infra.preprocessing.__about__ import __version__
from ml_infra.preprocessing._errors import PreprocessingError

__all__ = ["PreprocessingError", "__version__"]
