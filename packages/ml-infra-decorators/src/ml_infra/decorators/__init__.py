"""Timing and retry decorators."""

from ml_infra.decorators.__about__ import __version__
from ml_infra.decorators._errors import DecoratorsError

__all__ = ["DecoratorsError", "__version__"]
