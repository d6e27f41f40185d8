"""JsonFormatter throughput against python-json-logger, through the same stdlib handler.

Both sides log the same call (a message with three extra fields) through their
own logger, each with one StreamHandler writing to a null stream; both write
the same keys (timestamp, level, logger, message, module, function, line and
the three fields). Time per record includes stdlib logging itself.
"""

from __future__ import annotations

import logging

from ml_infra.logging import JsonFormatter, StructuredLogger
from pythonjsonlogger.json import JsonFormatter as PjlJsonFormatter

from tools.bench.harness import Case, Goal

FIELDS = {"user_id": 42, "model": "resnet50", "accuracy": 0.931}


class _NullStream:
    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


PJL_FORMAT = "%(levelname)s %(name)s %(message)s %(module)s %(funcName)s %(lineno)d"
"""python-json-logger's fields, renamed (:data:`PJL_RENAMES`) to the keys ours writes."""

PJL_RENAMES = {"levelname": "level", "name": "logger", "funcName": "function", "lineno": "line"}


def bench_logger(name: str, formatter: logging.Formatter) -> logging.Logger:
    """A non-propagating logger with one StreamHandler to a null stream, using ``formatter``."""
    logger = logging.getLogger(f"bench.logging.{name}")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
    handler = logging.StreamHandler(_NullStream())
    handler.setFormatter(formatter)
    logger.addHandler(handler)
    return logger


def cases() -> list[Case]:
    ours = bench_logger("ours", JsonFormatter())
    anchor = bench_logger(
        "pjl", PjlJsonFormatter(PJL_FORMAT, rename_fields=PJL_RENAMES, timestamp=True)
    )
    structured = StructuredLogger(bench_logger("structured", JsonFormatter()).name)

    return [
        Case(
            name="logging: JsonFormatter record, 3 extra fields",
            ours=lambda: ours.info("request served", extra=FIELDS),
            anchor=lambda: anchor.info("request served", extra=FIELDS),
            anchor_name="python-json-logger",
            goal=Goal.faster(1.3),
            repeat=15,
        ),
        # The goal (1.3x) is on the row above; this one guards the
        # wrapper's own overhead (one more Python call layer and a kwargs dict),
        # measured at 1.3-1.7x, with a goal that noise on 2 cores cannot flip.
        Case(
            name="logging: StructuredLogger.info, 3 fields",
            ours=lambda: structured.info(
                "request served", user_id=42, model="resnet50", accuracy=0.931
            ),
            anchor=lambda: anchor.info("request served", extra=FIELDS),
            anchor_name="python-json-logger",
            goal=Goal.faster(1.2),
            repeat=15,
        ),
    ]
