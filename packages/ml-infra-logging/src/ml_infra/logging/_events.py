"""``log_ml_event`` and the conventional ``MLEvent`` names."""

from __future__ import annotations

import enum
import logging

from ml_infra.logging._errors import LoggingTypeError, LoggingValueError
from ml_infra.logging._levels import resolve_level
from ml_infra.logging._logger import StructuredLogger
from ml_infra.logging._parameters import check_stacklevel
from ml_infra.logging._record import FIELDS_ATTR

__all__ = ["MLEvent", "log_ml_event"]


class MLEvent(enum.StrEnum):
    """Conventional event types for :func:`log_ml_event` (plain strings work too).

    Example:
        >>> MLEvent.EPOCH_END == "epoch_end"
        True
    """

    TRAINING_STARTED = "training_started"
    TRAINING_FINISHED = "training_finished"
    TRAINING_FAILED = "training_failed"
    EPOCH_END = "epoch_end"
    EVALUATION = "evaluation"
    PREDICTION_BATCH = "prediction_batch"
    MODEL_SAVED = "model_saved"
    MODEL_LOADED = "model_loaded"


def log_ml_event(
    logger: StructuredLogger | logging.Logger,
    event_type: str,
    /,
    *,
    level: int | str = logging.INFO,
    stacklevel: int = 1,
    **data: object,
) -> None:
    """Log one ML event: its type is the message and, with ``data``, the fields.

    The record's ``context`` holds ``event_type`` first, then ``data``
    (metrics, parameters, ids...), after any fields bound to ``logger``.
    ``logger`` and ``event_type`` are positional-only, so ``data`` may hold
    fields named ``logger`` (e.g. ``logger="resnet"``); only ``level`` and
    ``stacklevel`` are taken by the function itself.
    The record names your call site as its ``module``/``function``/``line``
    (or, with ``stacklevel=2``, the caller of your helper that logs events).

    Args:
        logger: A :class:`StructuredLogger` or a plain :class:`logging.Logger`.
        event_type: What happened, e.g. ``"epoch_end"`` or :class:`MLEvent`.EPOCH_END.
        level: The record's level (number or name); INFO by default.
        stacklevel: 1 names your call site; raise it to name your caller.
        **data: The event's fields; values of any type are safe to pass.

    Raises:
        LoggingTypeError: ``logger``, ``event_type`` or ``stacklevel`` has the wrong
            type, or ``data`` holds another ``event_type``.
        LoggingValueError: ``event_type`` is empty.
        ConfigurationError: ``level`` names no logging level.

    Example:
        >>> log = StructuredLogger("doc.events", run_id="r-7")
        >>> log_ml_event(log, MLEvent.EPOCH_END, epoch=3, metrics={"loss": 0.12})
    """
    if not isinstance(logger, StructuredLogger | logging.Logger):
        raise LoggingTypeError(
            "log_ml_event: logger must be a StructuredLogger or a logging.Logger, "
            f"got {type(logger).__name__}"
        )
    check_stacklevel(stacklevel, "log_ml_event")
    if not isinstance(event_type, str):
        raise LoggingTypeError(
            f"log_ml_event: event_type must be a str, got {type(event_type).__name__}"
        )
    if not event_type.strip():
        raise LoggingValueError("log_ml_event: event_type must not be empty")
    if "event_type" in data:
        raise LoggingTypeError("log_ml_event: event_type given twice, positionally and as a field")
    numeric = resolve_level(level, "log_ml_event: level")
    event = str(event_type)
    fields: dict[str, object] = {"event_type": event, **data}
    if isinstance(logger, StructuredLogger):
        if logger.is_enabled_for(numeric):
            logger._emit(numeric, event, (), None, False, stacklevel, None, fields, "log_ml_event")
    else:
        logger.log(numeric, event, extra={FIELDS_ATTR: fields}, stacklevel=stacklevel + 1)
