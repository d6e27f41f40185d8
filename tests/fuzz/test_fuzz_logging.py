"""Fuzzing the public API of ``ml_infra.logging`` with hostile values.

Invariants: constructing ``JsonFormatter``, calling ``configure``,
``StructuredLogger`` and ``log_ml_event`` with any arguments works or raises
the package's own error (a ``LoggingError``, also a ``ValueError``/``TypeError``);
logging calls with hostile field values never raise and never drop the record;
every emitted line is strict one-line JSON (no ``NaN``/``Infinity``, no duplicate
keys, no raw line break, ASCII only); a value logged under a secret key, spelled
any way and nested in any container, never appears in the output; inputs are
never mutated.

A credential planted by its shape (URL password, token, key) in any string,
under a harmless key, never appears either.
"""

from __future__ import annotations

import base64
import io
import json
import keyword
import logging
import os
import string
from collections import namedtuple
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import make_dataclass
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from ml_infra.logging import (
    DEFAULT_REDACT_KEYS,
    ENV_ENVIRONMENT,
    ENV_LEVEL,
    ENV_SERVICE,
    ENV_STREAM,
    ENV_VERSION,
    REDACTED,
    JsonFormatter,
    LoggingError,
    MLEvent,
    StructuredLogger,
    configure,
    log_ml_event,
)

from tests.fuzz.strategies import (
    RaisingEqStr,
    RaisingSequence,
    data,
    fingerprint,
    fuzz_settings,
    hostile_objects,
    parameters,
    scalars,
)

LOGGER = "fuzz.logging"
HUGE_NEGATIVE = -(10**5000)


#: Attributes a LogRecord has itself: stdlib ``extra=`` raises KeyError for them.
RECORD_ATTRS = frozenset(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {
    "message",
    "asctime",
    "taskName",
    "ml_infra_fields",
}
#: Taken by the StructuredLogger methods themselves, not fields.
METHOD_KWARGS = frozenset({"exc_info", "stack_info", "stacklevel"})


# ---------------------------------------------------------------- output checks
class _RaisingHandler(logging.StreamHandler[io.StringIO]):
    """A StreamHandler that re-raises what the formatter raised (stdlib would print and drop)."""

    def handleError(self, record: logging.LogRecord) -> None:
        raise  # the error emit() is handling


@contextmanager
def capture(formatter: JsonFormatter | None = None) -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """The fuzz logger, at DEBUG, writing through ``formatter`` to a fresh StringIO."""
    stream = io.StringIO()
    handler = _RaisingHandler(stream)
    handler.setFormatter(formatter or JsonFormatter())
    logger = logging.getLogger(LOGGER)
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    try:
        yield logger, stream
    finally:  # pytest attaches its handlers to loggers left non-propagating
        logger.removeHandler(handler)
        logger.propagate = True
        logger.setLevel(logging.NOTSET)


def _refuse_constant(name: str) -> Any:
    raise AssertionError(f"non-standard JSON constant {name}")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    assert len(keys) == len(set(keys)), f"duplicate keys {keys}"
    return dict(pairs)


def strict_lines(text: str, count: int) -> list[dict[str, Any]]:
    """``count`` records, each strict one-line JSON, ASCII, with the formatter's keys."""
    assert text.endswith("\n"), text[-200:]
    lines = text[:-1].split("\n")
    assert len(lines) == count, f"expected {count} lines, got {len(lines)}"
    records = []
    for line in lines:
        assert line.isascii()
        assert "\r" not in line
        record = json.loads(line, parse_constant=_refuse_constant, object_pairs_hook=_unique_keys)
        assert isinstance(record, dict)
        assert {"timestamp", "level", "logger", "message", "context"} <= record.keys()
        assert isinstance(record["message"], str)
        assert isinstance(record["context"], dict)
        records.append(record)
    return records


# ---------------------------------------------------------------- mutation check
def snapshot(value: Any, path: frozenset[int] = frozenset()) -> Any:
    """A deep fingerprint: dicts, lists, tuples, namespaces, frames, arrays (cycles cut)."""
    if id(value) in path:
        return ("cycle", id(value))
    inner = path | {id(value)}
    if type(value) is dict:
        items = tuple((fingerprint(k), snapshot(v, inner)) for k, v in value.items())
        return ("dict", id(value), items)
    if type(value) in (list, tuple) or (isinstance(value, tuple) and hasattr(value, "_fields")):
        return (type(value), id(value), tuple(snapshot(v, inner) for v in value))
    if isinstance(value, SimpleNamespace):
        return ("namespace", id(value), snapshot(vars(value), inner))
    if isinstance(value, pd.DataFrame):
        columns = tuple(map(repr, value.columns))
        return (
            "frame",
            columns,
            tuple(snapshot(value.iloc[:, i], inner) for i in range(value.shape[1])),
        )
    if isinstance(value, pd.Series) and value.dtype == object:
        return (fingerprint(value), tuple(snapshot(v, inner) for v in value.tolist()))
    if isinstance(value, np.ndarray) and value.dtype == object:
        items = value.view(np.ndarray).ravel().tolist()
        return (fingerprint(value), tuple(snapshot(v, inner) for v in items))
    if hasattr(type(value), "__dataclass_fields__"):
        items = tuple((k, snapshot(v, inner)) for k, v in vars(value).items())
        return ("dataclass", id(value), items)
    return fingerprint(value)


def checked(call: Callable[[], Any], *inputs: object) -> Any:
    """Run ``call``: its result or its package error; the inputs must not change."""
    before = [snapshot(value) for value in inputs]
    try:
        result = call()
    except LoggingError as exc:
        result = exc
    if isinstance(result, LoggingError):
        assert isinstance(result, ValueError | TypeError)
        assert isinstance(str(result), str)
    assert [snapshot(value) for value in inputs] == before
    return result


# ---------------------------------------------------------------- hostile values
def _cyclic(items: list[Any]) -> list[Any]:
    loop: list[Any] = list(items)
    loop.append({"self": loop})
    return loop


#: One hostile leaf (data() includes LyingList, whose iteration never ends).
LEAVES = st.one_of(
    scalars(),
    data(),
    st.text(max_size=12),
    st.sampled_from(["line\nbreak", "cr\rlf", "\u2028", "\x00", "\ud800", "\"quoted\\'", "é€😀"]),
    st.binary(max_size=8),
    st.builds(SimpleNamespace, a=scalars()),
    hostile_objects(),
)
KEYS = st.text(max_size=8) | st.sampled_from(["message", "msg", "args", "name", "level", "context"])
#: Hostile values nested in dicts (str and other keys), lists, tuples, and cycles.
VALUES = st.recursive(
    LEAVES,
    lambda children: st.one_of(
        st.dictionaries(KEYS, children, max_size=3),
        st.dictionaries(st.integers() | st.none() | st.tuples(st.integers()), children, max_size=2),
        st.lists(children, max_size=3),
        st.lists(children, max_size=3).map(tuple),
        st.lists(children, max_size=2).map(_cyclic),
    ),
    max_leaves=6,
)
FIELD_NAMES = st.text(min_size=1, max_size=10).filter(lambda key: key not in METHOD_KWARGS) | (
    st.sampled_from(["message", "msg", "args", "name", "level", "logger", "context", "timestamp"])
)
FIELDS = st.dictionaries(FIELD_NAMES, VALUES, max_size=4)
MESSAGES = st.text(max_size=20) | st.sampled_from(["%s and %d", "%(x)s", "100%"]) | scalars()
ARGS = st.lists(VALUES, max_size=2).map(tuple) | st.just(({"x": 1},))
LEVELS = parameters(logging.INFO, "warning", "DEBUG", " error ", "10", 50, "chatty", -1)
METHODS = st.sampled_from(["debug", "info", "warning", "error", "critical", "exception", "log"])


class TestNeverRaises:
    @fuzz_settings()
    @given(
        method=METHODS,
        level=LEVELS,
        msg=MESSAGES,
        args=ARGS,
        bound=FIELDS,
        fields=FIELDS,
        options=st.fixed_dictionaries(
            {},
            optional={
                "exc_info": parameters(None, True, False, ValueError("boom")),
                "stack_info": parameters(False, True),
                "stacklevel": parameters(1, 2, 0, -5, 10**6),
            },
        ),
    )
    def test_structured_logger(
        self,
        method: str,
        level: Any,
        msg: Any,
        args: tuple[Any, ...],
        bound: dict[str, Any],
        fields: dict[str, Any],
        options: dict[str, Any],
    ) -> None:
        """StructuredLogger(...).bind(...).<method>(msg, *args, **fields) writes one strict line
        holding every bound and call field, or raises the package's error; nothing mutated."""
        half = dict(list(bound.items())[: len(bound) // 2])
        base = StructuredLogger(LOGGER, **half)
        bound_context = dict(base.context)
        log = base.bind(**bound)
        with capture() as (_, stream):
            call = getattr(log, method)
            head = (level, msg) if method == "log" else (msg,)
            try:
                raise RuntimeError("being handled")
            except RuntimeError:
                outcome = checked(
                    lambda: call(*head, *args, **options, **fields),
                    msg,
                    args,
                    bound,
                    fields,
                    *options.values(),
                )
            refused = isinstance(outcome, LoggingError)
            enabled = method != "log" or refused or log.is_enabled_for(level)
        assert dict(base.context) == bound_context  # bind returned a new logger
        if isinstance(outcome, LoggingError) or not enabled:  # refused, or below the level
            assert stream.getvalue() == ""
            return
        (record,) = strict_lines(stream.getvalue(), 1)
        assert set(record["context"]) == set(bound) | set(half) | set(fields)

    @fuzz_settings()
    @given(
        level=st.sampled_from([logging.DEBUG, logging.INFO, logging.ERROR]),
        msg=MESSAGES,
        args=ARGS,
        extra=st.dictionaries(
            FIELD_NAMES.filter(lambda k: k not in RECORD_ATTRS), VALUES, max_size=4
        ),
    )
    def test_plain_logger_extra(
        self, level: int, msg: Any, args: tuple[Any, ...], extra: dict[str, Any]
    ) -> None:
        """A plain logging call with hostile extra= fields and %-args writes one strict line
        whose context holds every extra field; nothing mutated."""
        with capture() as (logger, stream):
            checked(lambda: logger.log(level, msg, *args, extra=extra), msg, args, extra)
        (record,) = strict_lines(stream.getvalue(), 1)
        assert set(record["context"]) == set(extra)

    @fuzz_settings()
    @given(
        structured=st.booleans(),
        event_type=parameters(MLEvent.EPOCH_END, "epoch_end", "", "  ") | st.text(max_size=10),
        level=LEVELS,
        stacklevel=parameters(1, 2, 0),
        fields=st.dictionaries(
            FIELD_NAMES.filter(lambda key: key not in ("level", "stacklevel")), VALUES, max_size=4
        ),
    )
    def test_log_ml_event(
        self,
        structured: bool,
        event_type: Any,
        level: Any,
        stacklevel: Any,
        fields: dict[str, Any],
    ) -> None:
        """log_ml_event with any arguments writes one strict line (event_type first in context),
        or raises the package's error and writes nothing; nothing mutated."""
        with capture() as (logger, stream):
            target: Any = StructuredLogger(LOGGER) if structured else logger
            outcome = checked(
                lambda: log_ml_event(
                    target, event_type, level=level, stacklevel=stacklevel, **fields
                ),
                event_type,
                level,
                fields,
            )
            refused = isinstance(outcome, LoggingError)
            enabled = refused or StructuredLogger(LOGGER).is_enabled_for(level)
        if isinstance(outcome, LoggingError) or not enabled:  # refused, or below the level
            assert stream.getvalue() == ""
            return
        (record,) = strict_lines(stream.getvalue(), 1)
        assert next(iter(record["context"])) == "event_type"
        assert set(record["context"]) == {"event_type", *fields}
        if type(event_type) is str or isinstance(event_type, MLEvent):
            assert record["context"]["event_type"] == record["message"] == str(event_type)

    @fuzz_settings()
    @given(target=parameters(LOGGER, logging.getLogger(LOGGER)) | st.text(max_size=5))
    def test_log_ml_event_logger_argument(self, target: Any) -> None:
        """log_ml_event with anything as its logger logs or raises the package's error."""
        with capture() as (_, stream):
            outcome = checked(lambda: log_ml_event(target, "evaluation", score=1.0), target)
        if not isinstance(outcome, LoggingError):
            strict_lines(stream.getvalue(), 1)

    @fuzz_settings()
    @given(
        name=parameters(LOGGER) | st.text(max_size=5),
        level=LEVELS,
    )
    def test_logger_construction(self, name: Any, level: Any) -> None:
        """StructuredLogger(name) and is_enabled_for(level) work or raise the package's error."""
        log = checked(lambda: StructuredLogger(name, run="r-1"), name)
        if not isinstance(log, LoggingError):
            enabled = checked(lambda: log.is_enabled_for(level), level)
            assert isinstance(enabled, bool | LoggingError)
            assert dict(log.unbind("run", "missing").context) == {}


# ---------------------------------------------------------------- configuration
KEY_NAMES = parameters(None, ["password"], ("ssn", "pin"), frozenset({"token"})) | st.lists(
    st.text(max_size=6), max_size=3
)
FORMATTER_OPTIONS = st.fixed_dictionaries(
    {},
    optional={
        "service": parameters(None, "trainer") | st.text(max_size=6),
        "environment": parameters(None, "prod"),
        "version": parameters(None, "1.0"),
        "static_fields": parameters(None, {"region": "eu"}, {"message": 1}, {1: "x"})
        | st.dictionaries(FIELD_NAMES, VALUES, max_size=3),
        "redact": parameters(True, False),
        "redact_keys": KEY_NAMES,
        "extra_redact_keys": KEY_NAMES,
        "max_string_length": parameters(10_000, 1, 40, 0, True),
        "max_depth": parameters(32, 1, 2, 0),
        "max_array_size": parameters(1_000, 0, 2),
    },
)


class TestConfiguration:
    @fuzz_settings()
    @given(options=FORMATTER_OPTIONS, fields=FIELDS, msg=MESSAGES)
    def test_formatter_options(
        self, options: dict[str, Any], fields: dict[str, Any], msg: Any
    ) -> None:
        """JsonFormatter(**options) builds or raises the package's error; once built, it writes
        one strict line for a hostile record; nothing mutated."""
        formatter = checked(lambda: JsonFormatter(**options), *options.values())
        if isinstance(formatter, LoggingError):
            return
        with capture(formatter) as (_, stream):
            checked(lambda: StructuredLogger(LOGGER).warning(msg, **fields), msg, fields)
        (record,) = strict_lines(stream.getvalue(), 1)
        if isinstance(options.get("service"), str):
            assert record["service"] == options["service"]

    @fuzz_settings()
    @given(
        level=LEVELS | st.none(),
        stream_kind=st.sampled_from(["ours", "none", "hostile"]),
        hostile_stream=parameters(b"", "stderr"),
        name=st.text(max_size=6).map(lambda text: f"fuzz.configure.{text}")
        | parameters().filter(lambda v: v is not None and not isinstance(v, str)),
        statics=st.fixed_dictionaries(
            {},
            optional={
                "service": parameters(None, "api") | st.text(max_size=5),
                "environment": parameters(None, "dev"),
                "version": parameters(None, "2"),
            },
        ),
        formatter=parameters(None, JsonFormatter(), logging.Formatter()),
        force=parameters(False, True),
        env=st.dictionaries(
            st.sampled_from([ENV_LEVEL, ENV_STREAM, ENV_SERVICE, ENV_ENVIRONMENT, ENV_VERSION]),
            st.sampled_from(["debug", "WARNING", "15", "chatty", "stdout", "stderr", "file", " "])
            | st.text(
                alphabet=st.characters(blacklist_characters="\x00", blacklist_categories=["Cs"]),
                max_size=6,
            ),
            max_size=3,
        ),
        fields=FIELDS,
    )
    def test_configure(
        self,
        level: Any,
        stream_kind: str,
        hostile_stream: Any,
        name: Any,
        statics: dict[str, Any],
        formatter: Any,
        force: Any,
        env: dict[str, str],
        fields: dict[str, Any],
    ) -> None:
        """configure(...) with any arguments and environment installs one handler or raises the
        package's error; records then go out as strict lines; nothing mutated."""
        stream = {"ours": io.StringIO(), "none": None, "hostile": hostile_stream}[stream_kind]
        saved = {key: os.environ.get(key) for key in env}
        os.environ.update(env)
        try:
            handler = checked(
                lambda: configure(
                    level, stream, logger=name, formatter=formatter, force=force, **statics
                ),
                level,
                name,
                formatter,
                force,
                *statics.values(),
            )
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
        if isinstance(handler, LoggingError):
            return
        target = logging.getLogger(name)
        try:
            assert handler in target.handlers
            assert [h for h in target.handlers if type(h) is type(handler)] == [handler]
            if stream_kind == "ours" and formatter is None:
                target.propagate = False
                target.setLevel(logging.DEBUG)
                StructuredLogger(name).info("configured", **fields)
                (record,) = strict_lines(stream.getvalue(), 1)
                for key, value in statics.items():
                    if type(value) is str:
                        assert record[key] == value
        finally:
            for installed in list(target.handlers):
                target.removeHandler(installed)
            target.propagate = True
            target.setLevel(logging.NOTSET)


# ---------------------------------------------------------------- secrets
PREFIXES = ["", "db", "client", "api", "aws", "user", "x", "refresh", "openai"]
STYLES = [
    "snake",
    "camel",
    "pascal",
    "upper",
    "upper_snake",
    "lower_joined",
    "kebab",
    "title_kebab",
    "dotted",
    "spaced",
]


def spell(name: str, prefix: str, plural: bool, style: str) -> str:
    """The secret name ``name`` spelled in ``style``, after ``prefix``, maybe plural."""
    words = ([prefix] if prefix else []) + name.split("_")
    if plural and not words[-1].endswith("s"):
        words[-1] += "s"
    styles = {
        "snake": "_".join(words),
        "camel": words[0] + "".join(w.capitalize() for w in words[1:]),
        "pascal": "".join(w.capitalize() for w in words),
        "upper": "".join(words).upper(),
        "upper_snake": "_".join(words).upper(),
        "lower_joined": "".join(words),
        "kebab": "-".join(words),
        "title_kebab": "-".join(w.capitalize() for w in words),
        "dotted": ".".join(words),
        "spaced": " ".join(words),
    }
    return styles[style]


SECRET_KEYS = st.builds(
    spell,
    st.sampled_from(sorted(DEFAULT_REDACT_KEYS)),
    st.sampled_from(PREFIXES),
    st.booleans(),
    st.sampled_from(STYLES),
)
#: Distinctive: the random core cannot occur in a line by chance.
SECRETS = st.text(alphabet=string.ascii_letters + string.digits, min_size=14, max_size=24).map(
    lambda core: f"sEcR{core}qZ"
)
PAYLOADS = [
    "str",
    "bytes",
    "np_str",
    "list",
    "tuple",
    "dict",
    "nested",
    "array",
    "object_array",
    "series",
    "namespace",
]


def payload(secret: str, kind: str) -> Any:
    """A value holding ``secret``, of the given kind (the whole of it is under a secret key)."""
    return {
        "str": lambda: secret,
        "bytes": lambda: secret.encode(),
        "np_str": lambda: np.str_(secret),
        "list": lambda: [secret, 1],
        "tuple": lambda: (secret,),
        "dict": lambda: {"value": secret},
        "nested": lambda: {"a": [{"b": (secret,)}]},
        "array": lambda: np.array([secret, "x"]),
        "object_array": lambda: np.array([secret, None], dtype=object),
        "series": lambda: pd.Series([secret, "x"]),
        "namespace": lambda: SimpleNamespace(value=secret),
    }[kind]()


def _object_array(items: list[Any], size: int) -> np.ndarray[Any, Any]:
    array = np.empty(size, dtype=object)
    for index in range(size):
        array[index] = items[index % len(items)]
    return array


def wrap(key: str, value: Any, secret: str, kind: str) -> Any:
    """``{key: value}`` placed inside a container of the given kind."""
    pair = {key: value, "note": "kept"}
    if kind == "dict":
        return pair
    if kind == "list":
        return [1, pair]
    if kind == "tuple":
        return ("x", pair)
    if kind == "namespace":
        return SimpleNamespace(**pair)
    identifier = key.isidentifier() and not keyword.iskeyword(key) and not key.startswith("_")
    if kind == "namedtuple":
        if not identifier:
            return (pair,)
        return namedtuple("Row", ["note", key])("kept", value)
    if kind == "dataclass":
        if not identifier:
            return [pair]
        return make_dataclass("Row", ["note", key])("kept", value)
    if kind == "frame_column":
        return pd.DataFrame({key: [secret, secret], "n": [1, 2]})
    if kind == "frame_cells":
        return pd.DataFrame({"rows": pd.Series([pair, None], dtype=object), "n": [1, 2]})
    if kind == "series_named":
        return pd.Series([secret, "x"], name=key)
    if kind == "series_cells":
        return pd.Series([pair, {"n": 1}], dtype=object)
    if kind == "object_array":
        return _object_array([pair, None], 3)
    if kind == "large_object_array":  # beyond max_array_size: its (summarised) repr
        return _object_array([pair, None], 1_003)
    if kind == "structured_array":
        return np.array([(secret, 1)], dtype=[(key, "U40"), ("n", "i8")])
    raise AssertionError(kind)


WRAPPERS = [
    "dict",
    "list",
    "tuple",
    "namespace",
    "namedtuple",
    "dataclass",
    "frame_column",
    "frame_cells",
    "series_named",
    "series_cells",
    "object_array",
    "large_object_array",
    "structured_array",
]
ROUTES = ["field", "bound", "bind", "extra", "event", "static", "static_nested", "exception"]


@st.composite
def secret_cases(draw: st.DrawFn) -> tuple[str, str, Any]:
    """(secret, route, value): ``value`` holds ``secret`` under a secret key, nested ≤ 3 deep."""
    secret = draw(SECRETS)
    key = draw(SECRET_KEYS)
    value = wrap(
        key,
        payload(secret, draw(st.sampled_from(PAYLOADS))),
        secret,
        draw(st.sampled_from(WRAPPERS)),
    )
    for layer in draw(
        st.lists(st.sampled_from(["dict", "list", "tuple", "namespace"]), max_size=2)
    ):
        value = {
            "dict": lambda v: {"inner": v},
            "list": lambda v: [v],
            "tuple": lambda v: (v, 0),
            "namespace": lambda v: SimpleNamespace(inner=v),
        }[layer](value)
    return secret, draw(st.sampled_from(ROUTES)), value


def emit(route: str, value: Any, neighbours: dict[str, Any]) -> str:
    """Log ``value`` (as field ``data``) by ``route``; the whole output."""
    formatter = None
    if route == "static":
        formatter = JsonFormatter(static_fields={"data": value})
    elif route == "static_nested":
        formatter = JsonFormatter(static_fields={"cfg": {"data": [value]}})
    with capture(formatter) as (logger, stream):
        log = StructuredLogger(LOGGER)
        if route == "field" or route.startswith("static"):
            log.info("secret %s", "inside", data=value, **neighbours)
        elif route == "bound":
            StructuredLogger(LOGGER, data=value).warning("bound", **neighbours)
        elif route == "bind":
            log.bind(data=value, **neighbours).log("error", "bound later")
        elif route == "extra":
            logger.info("extra", extra={"data": value, **neighbours})
        elif route == "event":
            log_ml_event(log, MLEvent.EVALUATION, data=value, **neighbours)
        else:
            try:
                raise KeyError("failed")
            except KeyError:
                log.exception("failed", data=value, **neighbours)
    return stream.getvalue()


class TestNoSecretLeaks:
    @fuzz_settings()
    @given(
        case=secret_cases(),
        neighbours=st.dictionaries(st.sampled_from(["a", "b", "loss"]), VALUES, max_size=2),
    )
    def test_secret_never_written(
        self, case: tuple[str, str, Any], neighbours: dict[str, Any]
    ) -> None:
        """A secret under a secret key (any spelling, any container, any route) never appears
        in the output, which holds one strict line with [REDACTED]; nothing mutated."""
        secret, route, value = case
        before = snapshot(value), snapshot(neighbours)
        text = emit(route, value, neighbours)
        assert (snapshot(value), snapshot(neighbours)) == before
        assert secret not in text, text
        assert secret[:12] not in text, text
        assert secret.encode().hex() not in text
        strict_lines(text, 1)
        assert REDACTED in text

    @fuzz_settings()
    @given(key=SECRET_KEYS, secret=SECRETS)
    def test_every_spelling_is_secret(self, key: str, secret: str) -> None:
        """Each generated spelling of a secret name is redacted as a top-level field too."""
        with capture() as (_, stream):
            StructuredLogger(LOGGER).info("spelled", **{key: secret})
        (record,) = strict_lines(stream.getvalue(), 1)
        assert record["context"] == {key: REDACTED}


# ---------------------------------------------------------------- secrets in values
ALNUM = string.ascii_letters + string.digits
B64URL = ALNUM + "-_"


@st.composite
def planted_secrets(draw: st.DrawFn) -> tuple[str, str]:
    """(text, core): a string holding a credential by its shape; ``core`` must never show."""
    kinds = [
        "url",
        "bearer",
        "basic",
        "pair",
        "quoted_pair",
        "aws",
        "github",
        "slack",
        "jwt",
        "pem",
    ]
    kind = draw(st.sampled_from(kinds))
    any_case = st.sampled_from([str.lower, str.upper, str.title, str.swapcase, lambda s: s])
    if kind == "url":
        core = draw(st.text(ALNUM + "!$%&*-_~.:;=", min_size=8, max_size=24))
        user = draw(st.text(ALNUM, max_size=6))
        host = draw(st.sampled_from(["db", "db.internal:5432", "10.0.0.7"]))
        scheme = draw(st.sampled_from(["postgresql", "redis", "https", "mysql+pymysql", "s3"]))
        text = f"{draw(any_case)(scheme)}://{user}:{core}@{host}/x"
    elif kind in ("bearer", "basic"):  # header names and schemes in any case
        if kind == "bearer":
            core = draw(st.text(ALNUM + "-._~+/", min_size=16, max_size=40))
        else:  # base64 of user:password, however short
            user, password = draw(st.text(ALNUM, max_size=8)), draw(st.text(ALNUM, min_size=4))
            core = base64.b64encode(f"{user}:{password}".encode()).decode().rstrip("=")
        head = draw(st.sampled_from(["", "Authorization: ", "Proxy-Authorization: "]))
        text = draw(any_case)(head + kind.title() + " ") + core
        if kind == "bearer" and draw(st.booleans()):
            text = draw(any_case)("authorization") + "=" + core
    elif kind in ("pair", "quoted_pair"):  # key=value and 'key': 'value' under secret keys
        key = draw(any_case)(
            draw(st.sampled_from(["password", "token", "api_key", "client_secret"]))
        )
        core = draw(st.text(ALNUM + "-._~+/!$%*", min_size=8, max_size=24))
        if kind == "pair":
            text = draw(st.sampled_from(["", "?", "&", "--", "x=1&"])) + f"{key}={core}&y=2"
        else:
            quote = draw(st.sampled_from(["'", '"']))
            text = f"{{{quote}{key}{quote}: {quote}{core} {core}{quote}}}"
    elif kind == "aws":
        core = draw(st.text(string.ascii_uppercase + string.digits, min_size=16, max_size=16))
        text = draw(st.sampled_from(["AKIA", "ASIA"])) + core
    elif kind == "github":
        core = draw(st.text(ALNUM, min_size=36, max_size=40))
        text = draw(st.sampled_from(["ghp_", "gho_", "ghs_"])) + core
    elif kind == "slack":
        core = draw(st.text(ALNUM, min_size=12, max_size=30))
        text = draw(st.sampled_from(["xoxb-", "xoxp-"])) + core
    elif kind == "jwt":
        core = draw(st.text(B64URL, min_size=10, max_size=40))
        text = f"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIx{core}.{core[::-1]}"
    else:
        core = draw(st.text(ALNUM, min_size=12, max_size=60))
        text = f"-----BEGIN EC PRIVATE KEY-----\n{core}\n-----END EC PRIVATE KEY-----"
    around = st.sampled_from(["", " ", "\n", "=", "'", '"', "(", ",", "\t", "é "])
    return draw(around) + text + draw(around), core


@st.composite
def nested_in(draw: st.DrawFn, value: Any) -> Any:
    """``value`` under non-secret keys, in up to three layers of containers."""
    for layer in draw(
        st.lists(st.sampled_from(["dict", "list", "tuple", "namespace", "dataclass"]), max_size=3)
    ):
        value = {
            "dict": lambda v: {"inner": v},
            "list": lambda v: [1, v],
            "tuple": lambda v: (v, 0),
            "namespace": lambda v: SimpleNamespace(inner=v),
            "dataclass": lambda v: make_dataclass("Cfg", ["inner"])(v),
        }[layer](value)
    return value


class TestNoValueSecretLeaks:
    @fuzz_settings()
    @given(
        planted=planted_secrets(),
        route=st.sampled_from(["field", "extra", "message_arg", "exception", "static", "key"]),
        data=st.data(),
    )
    def test_planted_secret_never_written(
        self, planted: tuple[str, str], route: str, data: st.DataObject
    ) -> None:
        """A credential inside any string (by its shape, under a harmless key, any nesting,
        any route) never appears in the output, which stays one strict line."""
        text, core = planted
        value = data.draw(nested_in(text))
        formatter = JsonFormatter(static_fields={"cfg": value}) if route == "static" else None
        with capture(formatter) as (logger, stream):
            log = StructuredLogger(LOGGER)
            if route in ("field", "static"):
                log.info("m", data=value)
            elif route == "extra":
                logger.warning("m", extra={"data": value})
            elif route == "message_arg":
                log.info("connecting with %s", value)
            elif route == "key":
                log.info("m", data={text: 1})
            else:
                try:
                    raise ConnectionError(text)
                except ConnectionError:
                    log.exception("failed", data=value)
        output = stream.getvalue()
        strict_lines(output, 1)
        assert core not in output, output
        assert json.dumps(core)[1:-1] not in output, output


def _raising_keys(argument: str, *, raising_len: bool) -> Callable[[], Any]:
    return lambda: JsonFormatter(**{argument: RaisingSequence(["ssn"], raising_len=raising_len)})


class TestRegressions:
    @pytest.mark.parametrize(
        "call",
        [
            pytest.param(
                _raising_keys("redact_keys", raising_len=False),
                id="redact_keys-raising-iteration",
            ),
            pytest.param(
                _raising_keys("extra_redact_keys", raising_len=True),
                id="extra_redact_keys-raising-len",
            ),
            pytest.param(
                lambda: StructuredLogger(LOGGER).is_enabled_for(HUGE_NEGATIVE),
                id="is_enabled_for-huge-negative",
            ),
            pytest.param(
                lambda: JsonFormatter(max_depth=HUGE_NEGATIVE),
                id="max_depth-huge-negative",
            ),
            pytest.param(
                lambda: configure(HUGE_NEGATIVE, io.StringIO(), logger="fuzz.regression"),
                id="configure-level-huge-negative",
            ),
            pytest.param(
                lambda: StructuredLogger(RaisingEqStr("omit")),
                id="logger-name-raising-hash",
            ),
            pytest.param(
                lambda: configure("info", io.StringIO(), logger=RaisingEqStr("fuzz.regression")),
                id="configure-logger-raising-hash",
            ),
            pytest.param(
                lambda: StructuredLogger("fuzz.regression").critical("m", exc_info=pd.NA),
                id="exc_info-NA",
            ),
            pytest.param(
                lambda: StructuredLogger("fuzz.regression").critical("m", stack_info=pd.NA),
                id="stack_info-NA",
            ),
            pytest.param(
                lambda: configure(
                    "info",
                    io.StringIO(),
                    logger="fuzz.regression",
                    service=np.array(["a", "b"]),
                    formatter=JsonFormatter(),
                ),
                id="configure-service-array-with-formatter",
            ),
            pytest.param(lambda: JsonFormatter(redact_keys=["password", "ssn"]), id="keys-list"),
            pytest.param(lambda: StructuredLogger(LOGGER).is_enabled_for(-1), id="level-negative"),
        ],
    )
    def test_bad_arguments_give_package_errors(self, call: Callable[[], Any]) -> None:
        """Hostile arguments found by the fuzzing give a result or the package's error
        (each was a finding of this suite)."""
        error: LoggingError | None = None
        try:
            call()
        except LoggingError as exc:
            error = exc
        finally:
            logging.getLogger("fuzz.regression").handlers.clear()
        assert error is None or isinstance(error, TypeError | ValueError)

    def test_short_exc_info_keeps_the_fields(self) -> None:
        """A record with a malformed exc_info tuple still carries its fields."""
        with capture() as (_, stream):
            StructuredLogger(LOGGER).info("step", step=7, exc_info=(1,))
        (record,) = strict_lines(stream.getvalue(), 1)
        assert record["context"] == {"step": 7}
