"""The per-call path of a fitted object, specialised once from its fitted state."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ml_infra.preprocessing._errors import PreprocessingError
from ml_infra.preprocessing._statistics import Vector
from ml_infra.preprocessing._tables import Matrix

__all__ = ["Plan", "Problem"]


@dataclass(frozen=True, slots=True)
class Problem:
    """Why a fitted state cannot transform yet (constant columns, too few values)."""

    error: type[PreprocessingError]
    text: str

    def raise_for(self, func: str) -> None:
        """Raise the error, naming ``func``."""
        raise self.error(f"{func}: {self.text}")


@dataclass(frozen=True, slots=True)
class Plan:
    """The per-call arrays, specialised at fit time.

    ``forward(x) = (x - shift) / divisor * mul + add`` (``mul``/``add`` only
    when not the identity) or, with ``clip``, ``clip(x, shift, divisor)``.
    """

    shift: Vector
    divisor: Vector
    mul: float | None = None
    add: float | None = None
    clip: bool = False
    problem: Problem | None = None

    def forward(self, x: Matrix, out: Matrix) -> None:
        """Write the transform of ``x`` into ``out`` (``out`` may be ``x``)."""
        if self.clip:
            np.clip(x, self.shift, self.divisor, out=out)
            return
        np.subtract(x, self.shift, out=out)
        out /= self.divisor
        mul, add = self.mul, self.add
        if mul is not None and add is not None:
            out *= mul
            out += add

    def inverse(self, z: Matrix, out: Matrix) -> None:
        """Write the inverse transform of ``z`` into ``out``."""
        mul, add = self.mul, self.add
        if mul is not None and add is not None:
            np.subtract(z, add, out=out)
            out /= mul
            out *= self.divisor
        else:
            np.multiply(z, self.divisor, out=out)
        out += self.shift
