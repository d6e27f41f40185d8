"""Structured JSON logging for ML events, on top of the standard library.

Example:
    >>> import io, json, logging
    >>> from ml_infra.logging import StructuredLogger, configure, log_ml_event
    >>> out = io.StringIO()
    >>> handler = configure("info", out, logger="doc.pkg")
    >>> log_ml_event(StructuredLogger("doc.pkg"), "epoch_end", epoch=1, loss=0.5)
    >>> json.loads(out.getvalue())["context"]
    {'event_type': 'epoch_end', 'epoch': 1, 'loss': 0.5}
    >>> logging.getLogger("doc.pkg").removeHandler(handler)
"""

from ml_infra.logging.__about__ import __version__
from ml_infra.logging._config import (
    ENV_ENVIRONMENT,
    ENV_LEVEL,
    ENV_REDACT_VALUES,
    ENV_SERVICE,
    ENV_STREAM,
    ENV_VERSION,
    configure,
)
from ml_infra.logging._errors import (
    ConfigurationError,
    LoggingError,
    LoggingTypeError,
    LoggingValueError,
)
from ml_infra.logging._events import MLEvent, log_ml_event
from ml_infra.logging._formatter import JsonFormatter
from ml_infra.logging._logger import ExcInfo, StructuredLogger
from ml_infra.logging._record import RESERVED_KEYS
from ml_infra.logging._redaction import DEFAULT_REDACT_KEYS, REDACTED

__all__ = [
    "DEFAULT_REDACT_KEYS",
    "ENV_ENVIRONMENT",
    "ENV_LEVEL",
    "ENV_REDACT_VALUES",
    "ENV_SERVICE",
    "ENV_STREAM",
    "ENV_VERSION",
    "REDACTED",
    "RESERVED_KEYS",
    "ConfigurationError",
    "ExcInfo",
    "JsonFormatter",
    "LoggingError",
    "LoggingTypeError",
    "LoggingValueError",
    "MLEvent",
    "StructuredLogger",
    "__version__",
    "configure",
    "log_ml_event",
]

# Public classes carry their public module: tracebacks, reprs and pickles name
# ml_infra.<sub>.X, never the private module that defines it.
for _name in __all__:
    _obj = globals()[_name]
    if isinstance(_obj, type):
        _obj.__module__ = __name__
del _name, _obj
