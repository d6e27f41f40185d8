"""Structured JSON logging for ML events."""

from ml_infra.logging.__about__ import __version__
from ml_infra.logging._errors import LoggingError

__all__ = ["LoggingError", "__version__"]
