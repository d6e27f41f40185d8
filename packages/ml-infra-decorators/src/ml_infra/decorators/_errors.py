"""Exceptions raised by ``ml_infra.decorators``."""

from __future__ import annotations

__all__ = ["DecoratorsError"]


class DecoratorsError(Exception):
    """Base class of every error ``ml_infra.decorators`` raises.

    Concrete errors also subclass the matching builtin (``ValueError``,
    ``TypeError``), so ``except ValueError`` keeps working.
    """
