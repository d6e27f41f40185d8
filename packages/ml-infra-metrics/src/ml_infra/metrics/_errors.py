"""Exceptions raised by ``ml_infra.metrics``."""

from __future__ import annotations

__all__ = ["MetricsError"]


class MetricsError(Exception):
    """Base class of every error ``ml_infra.metrics`` raises.

    Concrete errors also subclass the matching builtin (``ValueError``,
    ``TypeError``), so ``except ValueError`` keeps working.
    """
