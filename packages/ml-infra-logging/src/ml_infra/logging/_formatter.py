"""``JsonFormatter``: one line of strict JSON per record, fast on the common path."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping

from ml_infra.logging._clock import UtcClock
from ml_infra.logging._coercion import coerce
from ml_infra.logging._encoding import escape, make_encoder, plain_encode
from ml_infra.logging._errors import ConfigurationError, LoggingTypeError
from ml_infra.logging._record import RESERVED_KEYS, context_of
from ml_infra.logging._redaction import (
    DEFAULT_REDACT_KEYS,
    REDACTED,
    Redactor,
    UnsafeStructureError,
)
from ml_infra.logging._sanitize import Sanitizer
from ml_infra.logging._text import exception_text, qualified_name, safe_repr, safe_str
from ml_infra.logging._trace import current_trace
from ml_infra.logging._values import ValueMasker

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing (import time)
if TYPE_CHECKING:
    import re

__all__ = ["JsonFormatter"]


def _check_int(value: object, name: str, minimum: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise LoggingTypeError(f"JsonFormatter: {name} must be an int, got {type(value).__name__}")
    if value < minimum:
        raise ConfigurationError(
            f"JsonFormatter: {name} must be >= {minimum}, got {safe_repr(value)}"
        )
    return value


class JsonFormatter(logging.Formatter):
    """Format each record as one line of strict JSON (RFC 8259).

    Every line holds ``timestamp`` (UTC, ISO 8601, microseconds, ``+00:00``),
    ``level``, ``logger``, ``message``, ``module``, ``function``, ``line``, any
    static fields, ``trace_id``/``span_id``/``trace_flags`` when an
    OpenTelemetry span is active (OpenTelemetry is never imported for it), and
    ``context`` (the fields of :class:`StructuredLogger`
    calls and the ``extra=`` fields of plain ``logging`` calls); then
    ``exception`` (``type``, ``message``, ``traceback``) when the record has
    exception info and ``stack`` when it has stack info.

    ``format`` never raises and never drops a record: values JSON cannot take
    are converted (see the README's table), secrets are masked by their shape in
    every string (``redact_values``) and redacted by key at any
    depth (static fields included), and a record that still fails is written
    with a ``logging_error``. The keys the formatter writes itself are never
    cut or redacted.

    Args:
        service: Static ``service`` field on every line (omitted when None).
        environment: Static ``environment`` field (e.g. ``"prod"``).
        version: Static ``version`` field (e.g. your application's version).
        static_fields: More static top-level fields (not the reserved keys);
            cleaned and redacted once, here.
        redact: Set False to turn redaction off (by key and by value).
        redact_keys: Replaces the default secret key names
            (:data:`DEFAULT_REDACT_KEYS`).
        extra_redact_keys: Added to the secret key names.
        redact_values: Set False to stop masking secrets by their shape in
            strings (URL passwords, ``Bearer``/``Basic`` tokens, AWS key ids,
            private keys, GitHub/Slack tokens, JWTs); key redaction stays.
        redact_patterns: More value patterns (``str`` or compiled regexes),
            checked here; a group named ``secret`` limits the mask to that
            group, else the whole match becomes ``***``.
        max_string_length: Longer strings (and keys, once judged in full)
            are cut and marked ``...[truncated N chars]``.
        max_depth: Containers nested deeper are replaced by a marker.
        max_array_size: numpy/pandas/torch arrays with more elements are
            written as their (summarising) ``repr`` instead of a list.

    Raises:
        LoggingTypeError: An option has the wrong type.
        ConfigurationError: An option has an invalid value (e.g. a static field
            named like a reserved key).

    Example:
        >>> import io, json, logging
        >>> stream = io.StringIO()
        >>> handler = logging.StreamHandler(stream)
        >>> handler.setFormatter(JsonFormatter(service="trainer"))
        >>> log = logging.getLogger("doc.formatter")
        >>> log.addHandler(handler)
        >>> log.warning("loss is %s", float("nan"), extra={"token": "abc", "step": 3})
        >>> record = json.loads(stream.getvalue())
        >>> record["message"], record["service"], record["context"]
        ('loss is nan', 'trainer', {'token': '[REDACTED]', 'step': 3})
    """

    def __init__(
        self,
        *,
        service: str | None = None,
        environment: str | None = None,
        version: str | None = None,
        static_fields: Mapping[str, object] | None = None,
        redact: bool = True,
        redact_keys: Iterable[str] | None = None,
        extra_redact_keys: Iterable[str] = (),
        redact_values: bool = True,
        redact_patterns: Iterable[str | re.Pattern[str]] = (),
        max_string_length: int = 10_000,
        max_depth: int = 32,
        max_array_size: int = 1_000,
    ) -> None:
        super().__init__()
        for name, flag in (("redact", redact), ("redact_values", redact_values)):
            if not isinstance(flag, bool):
                raise LoggingTypeError(
                    f"JsonFormatter: {name} must be a bool, got {type(flag).__name__}"
                )
        self._max_string_length = _check_int(max_string_length, "max_string_length", 1)
        self._max_array_size = _check_int(max_array_size, "max_array_size", 0)
        depth = _check_int(max_depth, "max_depth", 1)
        base = (
            DEFAULT_REDACT_KEYS if redact_keys is None else _key_names(redact_keys, "redact_keys")
        )
        added = _key_names(extra_redact_keys, "extra_redact_keys")
        # With redaction off the walk still runs (with no names): it also sends
        # cycles, too-deep nesting and non-str keys to the sanitizer.
        names = [*base, *added] if redact else []
        self._redactor = Redactor(names, max_depth=depth, where="JsonFormatter")
        # key=value pairs in strings are masked by the same key names
        masker = ValueMasker(redact_patterns, keys=self._redactor.keys, where="JsonFormatter")
        masks = redact and redact_values
        if masker.always and not masks:
            raise ConfigurationError(
                "JsonFormatter: redact_patterns given, but value redaction is off "
                f"(redact={redact}, redact_values={redact_values}); drop one or the other"
            )
        self._needs_masking: Callable[[str], bool] | None = (
            masker.needs_masking_json if masks else None
        )
        self._sanitizer = Sanitizer(
            self._redactor,
            mask=masker.mask if masks else None,
            max_string_length=self._max_string_length,
            max_depth=depth,
            max_array_size=self._max_array_size,
        )
        self._static = self._static_fields(service, environment, version, static_fields)
        self._static_json = "".join(
            f",{escape(key)}:{plain_encode(value)}" for key, value in self._static.items()
        )
        self._clock = UtcClock()
        self._encode = make_encoder(self._default)

    def _static_fields(
        self,
        service: str | None,
        environment: str | None,
        version: str | None,
        static_fields: Mapping[str, object] | None,
    ) -> dict[str, object]:
        fields: dict[str, object] = {}
        for name, given in (
            ("service", service),
            ("environment", environment),
            ("version", version),
        ):
            if given is None:
                continue
            if not isinstance(given, str):
                raise LoggingTypeError(
                    f"JsonFormatter: {name} must be a str or None, got {type(given).__name__}"
                )
            fields[name] = given
        if static_fields is None:
            return fields
        if not isinstance(static_fields, Mapping):
            raise LoggingTypeError(
                "JsonFormatter: static_fields must be a mapping, "
                f"got {type(static_fields).__name__}"
            )
        for key, value in static_fields.items():
            if not isinstance(key, str):
                raise LoggingTypeError(
                    f"JsonFormatter: static_fields keys must be str, got {type(key).__name__}"
                )
            if key in RESERVED_KEYS or key in fields:
                raise ConfigurationError(
                    f"JsonFormatter: static field {key!r} clashes with "
                    + (
                        "a key the formatter writes"
                        if key in RESERVED_KEYS
                        else f"the {key} argument"
                    )
                )
            fields[key] = value
        # Cleaned and redacted once, here: every line repeats them as they are.
        is_secret, clean = self._redactor.is_secret, self._sanitizer.clean
        return {key: REDACTED if is_secret(key) else clean(value) for key, value in fields.items()}

    def format(self, record: logging.LogRecord) -> str:
        """Format a record as one line of JSON; never raises.

        Args:
            record: The record to format.

        Returns:
            The JSON text, without a trailing newline.
        """
        try:
            try:
                message = record.getMessage()
            except Exception as exc:  # bad %-args: keep the template, say what failed
                problem = f"message formatting failed: {exception_text(exc)}"
                out = self._fields(record, safe_str(record.msg), context_of(record.__dict__))
                out["logging_error"] = problem
                return self._general(out)
            context = context_of(record.__dict__)
            record.message = message
            if record.exc_info or record.exc_text or record.stack_info:
                return self._general(self._fields(record, message, context))
            # The common path: fixed keys written around strings escaped by the
            # C escaper (a non-str raises TypeError), one C encoder call for
            # the context.
            lineno = record.lineno
            try:
                if type(lineno) is not int:
                    raise TypeError(lineno)
                if context:
                    context = self._redactor.redact_fields(context)
                message_json = escape(message)
                context_json = self._encode(context) if context else "{}"
                trace = current_trace()
                trace_json = (
                    f',"trace_id":"{trace[0]}","span_id":"{trace[1]}","trace_flags":"{trace[2]}"'
                    if trace is not None
                    else ""
                )
                line = (
                    f'{{"timestamp":"{self._clock.format(record.created)}",'
                    f'"level":{escape(record.levelname)},"logger":{escape(record.name)},'
                    f'"message":{message_json},"module":{escape(record.module)},'
                    f'"function":{escape(record.funcName)},"line":{lineno}{self._static_json}'
                    f'{trace_json},"context":{context_json}}}'
                )
            except Exception:  # a value it cannot take, or a hostile container
                return self._slow(self._fields(record, message, context))
            needs_masking = self._needs_masking
            if len(line) > self._max_string_length or (
                needs_masking is not None and needs_masking(message_json + context_json)
            ):  # the sanitizing walk caps long strings and masks secret values
                return self._slow(self._fields(record, message, context))
            return line
        except Exception as exc:  # the last line of defence: still emit the record
            return self._emergency(record, exc)

    def _fields(
        self, record: logging.LogRecord, message: str, context: dict[str, object]
    ) -> dict[str, object]:
        """The record as a dict, in output order (the general path)."""
        out: dict[str, object] = {
            "timestamp": self._clock.format(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": message,
            "module": record.module,
            "function": record.funcName,
            "line": record.lineno,
            **self._static,
        }
        trace = current_trace()
        if trace is not None:
            out["trace_id"], out["span_id"], out["trace_flags"] = trace
        out["context"] = context
        if record.exc_info or record.exc_text:
            out["exception"] = self._exception(record)
        if record.stack_info:
            out["stack"] = record.stack_info
        return out

    def _general(self, out: dict[str, object]) -> str:
        """Encode a record dict with one C encoder call, sanitizing on failure."""
        try:
            context = out["context"]
            if isinstance(context, dict) and context:
                out["context"] = self._redactor.redact_fields(context)
            line = self._encode(out)
        except Exception:  # as in format(): the sanitizer takes what the encoder cannot
            return self._slow(out)
        needs_masking = self._needs_masking
        if len(line) > self._max_string_length or (
            needs_masking is not None and needs_masking(line)
        ):
            return self._slow(out)
        return line

    def _exception(self, record: logging.LogRecord) -> dict[str, object]:
        """The ``exception`` object: type, message and traceback."""
        exc_info = record.exc_info
        given: object = exc_info  # as set, whatever the hints say
        if type(given) is tuple and len(given) != 3:  # hand-made: keep the record
            return {
                "type": None,
                "message": None,
                "traceback": "<exc_info could not be read: expected (type, value, traceback), "
                f"got a tuple of {len(given)} items>",
            }
        if exc_info and exc_info[1] is not None:
            if not record.exc_text:
                try:
                    record.exc_text = self.formatException(exc_info)
                except Exception as exc:  # a hand-made exc_info tuple, e.g. a bad traceback
                    record.exc_text = f"<traceback could not be formatted: {exception_text(exc)}>"
            return {
                "type": qualified_name(type(exc_info[1])),
                "message": safe_str(exc_info[1]),
                "traceback": record.exc_text,
            }
        # exc_text only (a record rebuilt from a pickle), or exc_info=(None, None, None)
        text = record.exc_text or None
        last = text.rstrip().rpartition("\n")[2] if text else ""
        name, _, detail = last.partition(": ")
        return {"type": name or None, "message": detail or None, "traceback": text}

    def _default(self, obj: object) -> object:
        """The encoder's hook for values JSON cannot take (one level at a time)."""
        value = coerce(obj, self._max_array_size, self._redactor, _to_sanitizer)
        if isinstance(value, dict | list | tuple):
            return self._redactor.redact(value)
        return value

    def _slow(self, out: dict[str, object]) -> str:
        """The sanitizing path: rebuild everything from JSON-safe parts.

        The keys the formatter writes (its own, the static fields', those of
        ``exception``) are the line's schema: they are never cut or redacted.
        The timestamp and the static values are written as they are (the
        latter were cleaned at construction).
        """
        clean = self._sanitizer.clean
        line: dict[str, object] = {}
        for key, value in out.items():
            if key in self._static or key == "timestamp":
                line[key] = value
            elif key == "exception" and type(value) is dict:
                line[key] = {name: clean(part, 1) for name, part in value.items()}
            else:
                line[key] = clean(value)
        return plain_encode(line)

    def _emergency(self, record: logging.LogRecord, exc: Exception) -> str:
        """A minimal line for a record that defeated every other path."""
        clean = self._sanitizer.cap
        try:
            timestamp: str | None = self._clock.format(float(record.created))
        except Exception:  # a broken created attribute: no timestamp rather than no line
            timestamp = None
        try:
            return plain_encode(
                {
                    "timestamp": timestamp,
                    "level": clean(safe_str(getattr(record, "levelname", None))),
                    "logger": clean(safe_str(getattr(record, "name", None))),
                    "message": clean(safe_str(getattr(record, "msg", None))),
                    "logging_error": clean(f"record could not be formatted: {exception_text(exc)}"),
                }
            )
        except Exception:  # pragma: no cover - even the minimal line failed: emit a constant
            return '{"logging_error":"record could not be formatted"}'


def _to_sanitizer(value: object) -> object:
    """The encoder's element cleaner: gives the record to the sanitizer, which tracks cycles."""
    raise UnsafeStructureError


def _key_names(names: Iterable[str], argument: str) -> list[str]:
    """Materialise a collection of key names (a bare string is a mistake)."""
    if isinstance(names, str | bytes) or not isinstance(names, Iterable):
        raise LoggingTypeError(
            f"JsonFormatter: {argument} must be a collection of str, got {type(names).__name__}"
        )
    try:
        return list(names)
    except Exception as exc:  # a hostile iterable: its own error must not escape
        raise LoggingTypeError(
            f"JsonFormatter: {argument} could not be read as a collection of str "
            f"({exception_text(exc)})"
        ) from None
