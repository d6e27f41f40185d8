"""The mergeable state of :class:`~ml_infra.metrics.ConfusionMatrix`: classes and count tables.

:class:`CountState` holds the sorted classes seen (or declared) so far, the
count table (``int64``, or ``float64`` sums of weights once a batch came
with ``sample_weight``), the table of squared weights (for the intervals'
effective sample size), the number of pairs counted and whether the classes
were declared. It owns every rule of combining states; ``ConfusionMatrix``
adds counting (``update``) and the scores.

Merging semantics, shared by every accumulator of the package (the score
histogram follows them too):

* ``a + b`` returns a **new** state equal to one built from all the data of
  both; neither operand changes. ``sum(parts)`` works (``0 + a`` is a copy of
  ``a``), and so does ``sum(parts, ConfusionMatrix())``.
* ``a.merge(b)`` adds ``b`` into ``a`` **in place** and returns ``a``;
  ``b`` never changes. On error nothing changes.
* A state built with declared classes (``ConfusionMatrix(classes=[...])``)
  accepts only those classes, from ``update`` and from ``merge``/``+``
  (anything else raises :class:`UnknownClassError` before any change); two
  declared states merge only when they declare the same classes. Adding an
  undeclared state to a declared one gives a declared state.
* Every state pickles (states pickled by version 0.1 load too); equality
  compares classes, counts, the number of pairs and the declaration.

Two states merge by aligning their classes (a sorted union) and adding
tables, so merging is exact (up to float rounding of weights), associative
and commutative.
"""

from __future__ import annotations

import copy
from typing import Any, Self

import numpy as np
import numpy.typing as npt
from ml_infra.metrics._counting import align
from ml_infra.metrics._errors import (
    EmptyInputError,
    InvalidInputTypeError,
    MixedLabelTypesError,
    UnknownClassError,
)
from ml_infra.metrics._labels import LabelsLike, unify_integers
from ml_infra.metrics._parameters import check_classes
from ml_infra.metrics._text import format_list

__all__ = ["CountState"]


class CountState:
    """Classes and count tables that merge exactly; the base of ``ConfusionMatrix``.

    Args:
        classes: Optional classes to declare up front (kept sorted).

    Example:
        >>> CountState(classes=[2, 0]).classes.tolist()
        [0, 2]
    """

    __slots__ = ("_classes", "_counts", "_declared", "_n_samples", "_squares")

    def __init__(self, classes: LabelsLike | None = None) -> None:
        self._classes: npt.NDArray[Any] = np.empty(0, dtype=np.int64)
        self._counts: npt.NDArray[Any] = np.zeros((0, 0), dtype=np.int64)
        self._squares: npt.NDArray[np.float64] | None = None  # sums of w**2, once weighted
        self._n_samples = 0
        self._declared = classes is not None
        if classes is not None:
            checked = np.sort(check_classes(classes, self._classes[:0], "ConfusionMatrix"))
            self._classes = checked
            self._counts = np.zeros((checked.shape[0],) * 2, dtype=np.int64)

    def __setstate__(self, state: tuple[None, dict[str, Any]]) -> None:
        """Restore a pickled state, including those pickled by version 0.1."""
        self._squares, self._n_samples, self._declared = None, -1, False
        for name, value in state[1].items():
            setattr(self, name, value)
        if self._n_samples < 0:  # 0.1 states were unweighted: the count is the sum
            self._n_samples = int(self._counts.sum())

    @property
    def classes(self) -> npt.NDArray[Any]:
        """The sorted classes seen so far (as a label or a prediction) or declared; a copy."""
        return self._classes.copy()

    @property
    def counts(self) -> npt.NDArray[Any]:
        """The counts, rows = true class, columns = predicted class; a copy.

        ``int64``, or ``float64`` sums of weights once a batch had ``sample_weight``.
        """
        return self._counts.copy()

    @property
    def n_samples(self) -> int:
        """How many (prediction, label) pairs were counted, whatever their weights."""
        return self._n_samples

    @property
    def declared(self) -> bool:
        """Whether the classes were declared up front (then no other class is accepted)."""
        return self._declared

    def __repr__(self) -> str:
        return f"ConfusionMatrix(classes={self._classes.tolist()!r}, n_samples={self.n_samples})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CountState):
            return NotImplemented
        return (
            self._declared == other._declared
            and self._n_samples == other._n_samples
            and self._classes.shape == other._classes.shape
            and bool(np.all(self._classes == other._classes))
            and bool(np.array_equal(self._counts, other._counts))
        )

    __hash__ = None  # type: ignore[assignment]  # mutable: not hashable

    def __add__(self, other: object) -> Self:
        """A new state holding the data of both; neither operand changes."""
        if not isinstance(other, CountState):
            return NotImplemented
        return copy.deepcopy(self).merge(other)

    def __radd__(self, other: object) -> Self:
        """``0 + state`` is a copy of the state, so ``sum(parts)`` works."""
        if type(other) is int and other == 0:
            return copy.deepcopy(self)
        return NotImplemented

    def _squared(self) -> npt.NDArray[np.float64]:
        """Sums of squared weights per cell (the counts themselves without weights)."""
        if self._squares is not None:
            return self._squares
        return self._counts.astype(np.float64)

    def _add(
        self,
        classes: npt.NDArray[Any],
        counts: npt.NDArray[Any],
        squares: npt.NDArray[np.float64] | None,
        n_samples: int,
        func: str,
    ) -> None:
        """Fold a table into the state (all checks first: on error nothing changes)."""
        if classes.shape[0] == 0:
            self._n_samples += n_samples
            return
        if self._classes.shape[0] == 0:
            self._classes, self._counts = classes, counts.copy()
            self._squares = None if squares is None else squares.copy()
            self._n_samples += n_samples
            return
        if (classes.dtype.kind == "U") != (self._classes.dtype.kind == "U"):
            seen = "strings" if self._classes.dtype.kind == "U" else "numbers"
            raise MixedLabelTypesError(
                f"{func}: cannot combine string classes with numeric classes "
                f"(the classes seen so far are {seen})"
            )
        own, new = unify_integers(
            (self._classes, classes), "the classes seen so far and the new ones", func
        )
        if self._declared:
            outside = new[~np.isin(new, own)]
            if outside.shape[0]:
                raise UnknownClassError(
                    f"{func}: {format_list(outside.tolist())} are not among the declared classes "
                    f"{format_list(own.tolist())}; declare them in ConfusionMatrix(classes=...) "
                    "or leave those samples out"
                )
        merged_classes, merged_counts = align(own, self._counts, new, counts)
        if squares is not None or self._squares is not None:
            new_squares = counts.astype(np.float64) if squares is None else squares
            self._squares = align(own, self._squared(), new, new_squares)[1]
        self._classes, self._counts = merged_classes, merged_counts
        self._n_samples += n_samples

    def merge(self, other: CountState) -> Self:
        """Add another accumulator's counts into this one, in place (``a + b`` makes a new one).

        Classes are aligned; ``other`` does not change; on error neither does ``self``.

        Args:
            other: A partial state, e.g. computed on another process.

        Returns:
            ``self``, so calls chain.

        Raises:
            InvalidInputTypeError: ``other`` is not a ConfusionMatrix.
            MixedLabelTypesError: One holds string classes, the other numbers.
            UnknownClassError: A class outside the declared classes of either.

        Example:
            >>> from ml_infra.metrics import ConfusionMatrix
            >>> a = ConfusionMatrix().update([0], [0])
            >>> a.merge(ConfusionMatrix().update([1], [0])).counts.tolist()
            [[1, 1], [0, 0]]
        """
        func = "ConfusionMatrix.merge"
        if not isinstance(other, CountState):
            raise InvalidInputTypeError(
                f"{func}: other must be a ConfusionMatrix, got {type(other).__name__}"
            )
        if (
            self._declared
            and other._declared
            and not (
                self._classes.shape == other._classes.shape
                and bool(np.all(self._classes == other._classes))
            )
        ):
            raise UnknownClassError(
                f"{func}: the two states declare different classes, "
                f"{format_list(self._classes.tolist())} and {format_list(other._classes.tolist())}"
            )
        if other._declared and not self._declared:
            # The declared side's classes bound the result: check ours against them.
            result = copy.deepcopy(other)
            result._add(self._classes, self._counts, self._squares, self._n_samples, func)
            for name in CountState.__slots__:
                setattr(self, name, getattr(result, name))
            return self
        self._add(other._classes, other._counts, other._squares, other._n_samples, func)
        return self

    def _checked_counts(self, func: str) -> None:
        """Refuse to score a state with no samples, or whose samples all weigh zero."""
        if self._n_samples == 0:
            raise EmptyInputError(f"{func}: there are no samples to score (nothing was counted)")
        if not self._counts.any():
            raise EmptyInputError(f"{func}: every sample counted so far has weight zero")
