"""The per-call path of a fitted object, specialised once from its fitted state, and its runner."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from ml_infra.preprocessing._blocks import Vector, blocks
from ml_infra.preprocessing._errors import PreprocessingError
from ml_infra.preprocessing._tables import Matrix

__all__ = ["SMALL", "Plan", "Problem", "run"]

SMALL = 1 << 16  # below this many values, one plain NumPy expression is fastest


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


def run(step: Callable[[Matrix, Matrix], None], x: Matrix, out: Matrix) -> None:
    """``step(x, out)``; over cache-sized row blocks (in threads) when ``x`` is large.

    Example:
        >>> x = np.ones((2, 2))
        >>> run(Plan(np.zeros(2), np.full(2, 2.0)).forward, x, x)
        >>> x.tolist()
        [[0.5, 0.5], [0.5, 0.5]]
    """
    if x.size < SMALL:
        step(x, out)
    else:
        blocks(x, lambda rows: step(x[rows], out[rows]))
