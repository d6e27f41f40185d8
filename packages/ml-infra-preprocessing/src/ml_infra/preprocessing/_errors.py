"""Exceptions raised by ``ml_infra.preprocessing``."""

from __future__ import annotations

__all__ = ["PreprocessingError"]


class PreprocessingError(Exception):
    """Base class of every error ``ml_infra.preprocessing`` raises.

    Concrete errors also subclass the matching builtin (``ValueError``,
    ``TypeError``), so ``except ValueError`` keeps working.
    """
