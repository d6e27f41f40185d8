"""Exceptions raised by ``ml_infra.logging``."""

from __future__ import annotations

__all__ = ["LoggingError"]


class LoggingError(Exception):
    """Base class of every error ``ml_infra.logging`` raises.

    Concrete errors also subclass the matching builtin (``ValueError``,
    ``TypeError``), so ``except ValueError`` keeps working.
    """
