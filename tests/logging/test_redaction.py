"""Secrets are redacted by key at any depth, on by default, configurable."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import logging
from collections import namedtuple
from types import MappingProxyType, SimpleNamespace
from typing import NamedTuple

import numpy as np
import pandas as pd
import pytest
from ml_infra.logging import (
    DEFAULT_REDACT_KEYS,
    REDACTED,
    RESERVED_KEYS,
    JsonFormatter,
    StructuredLogger,
)
from ml_infra.logging._redaction import Redactor, UnsafeStructureError

SECRET = "hunter2"

Login = namedtuple("Login", "user password")


class TypedLogin(NamedTuple):
    user: str
    api_key: str


@dataclasses.dataclass
class DbConfig:
    host: str
    password: str


class Connection:
    """An object whose own repr shows its attributes."""

    def __init__(self, host: str, password: str) -> None:
        self.host = host
        self.password = password

    def __repr__(self) -> str:
        return f"Connection({self.host!r}, {self.password!r})"


class Model:
    """An object without secret attributes: its repr is kept."""

    def __init__(self) -> None:
        self.layers = 3

    def __repr__(self) -> str:
        return "Model(layers=3)"


class TestDefaults:
    def test_default_set_is_public_and_frozen(self) -> None:
        """DEFAULT_REDACT_KEYS lists the documented names."""
        assert {"password", "passwd", "secret", "token", "api_key", "authorization"} <= (
            DEFAULT_REDACT_KEYS
        )
        assert isinstance(DEFAULT_REDACT_KEYS, frozenset)


class TestDepth:
    def test_nested_dicts_lists_and_tuples(self, capture) -> None:
        """Secrets nested in dicts inside lists and tuples are redacted."""
        payload = {"db": {"conn": [{"user": "u", "Password": "p"}, ({"token": "t"},)]}}
        capture.logger.info("m", extra={"payload": payload})
        assert capture.one()["context"] == {
            "payload": {
                "db": {"conn": [{"user": "u", "Password": REDACTED}, [{"token": REDACTED}]]}
            }
        }

    def test_whole_subtree_under_a_secret_key_is_replaced(self, capture) -> None:
        """A secret key holding a dict has the whole dict replaced."""
        capture.logger.info("m", extra={"credentials": {"user": "u", "pw": "p"}})
        assert capture.one()["context"] == {"credentials": REDACTED}

    def test_dataclass_fields_are_redacted(self, capture) -> None:
        """Objects converted to dicts (dataclasses) are redacted after conversion."""
        capture.logger.info("m", extra={"config": [DbConfig("h", "p")]})
        assert capture.one()["context"] == {"config": [{"host": "h", "password": REDACTED}]}

    def test_mapping_objects_are_redacted(self, capture) -> None:
        """Non-dict mappings are converted, then redacted."""
        capture.logger.info("m", extra={"env": MappingProxyType({"API_KEY": "k", "HOME": "/"})})
        assert capture.one()["context"] == {"env": {"API_KEY": REDACTED, "HOME": "/"}}

    def test_secrets_in_sanitized_records_are_redacted(self, capture) -> None:
        """Records taking the slow path (NaN, cycles, bytes keys) are redacted too."""
        loop: list[object] = []
        loop.append(loop)
        nested = {b"password": "p", 1: {"token": "t"}, "nan": float("nan"), "loop": loop}
        capture.logger.info("m", extra={"nested": nested})
        assert capture.one()["context"] == {
            "nested": {
                "password": REDACTED,
                "1": {"token": REDACTED},
                "nan": "NaN",
                "loop": ["<cycle>"],
            }
        }

    def test_bound_and_call_fields_are_redacted(self, capture) -> None:
        """StructuredLogger fields, bound or per call, are redacted."""
        StructuredLogger(capture.name, api_key="k").bind(user="u").info("m", password="p")
        assert capture.one()["context"] == {"api_key": REDACTED, "user": "u", "password": REDACTED}

    def test_deeper_than_max_depth_is_cut_not_leaked(self, make_capture) -> None:
        """Beyond max_depth the value is cut with a marker, so no deep secret leaks."""
        capture = make_capture(JsonFormatter(max_depth=3))
        capture.logger.info("m", extra={"a": {"b": {"c": {"password": "p"}}}})
        text = capture.lines()[0]
        assert '"p"' not in text
        assert capture.one()["context"] == {"a": {"b": {"c": "<max depth exceeded>"}}}


class TestConfiguration:
    def test_extra_keys_add_to_the_defaults(self, make_capture) -> None:
        """extra_redact_keys adds names; the defaults stay."""
        capture = make_capture(JsonFormatter(extra_redact_keys=["ssn", "card_number"]))
        capture.logger.info("m", extra={"user_ssn": 1, "cardNumber": 2, "password": 3, "n": 4})
        assert capture.one()["context"] == {
            "user_ssn": REDACTED,
            "cardNumber": REDACTED,
            "password": REDACTED,
            "n": 4,
        }

    def test_redact_keys_replace_the_defaults(self, make_capture) -> None:
        """redact_keys replaces the default set."""
        capture = make_capture(JsonFormatter(redact_keys=["pin"]))
        capture.logger.info("m", extra={"pin": 1, "password": 2})
        assert capture.one()["context"] == {"pin": REDACTED, "password": 2}

    def test_redaction_can_be_disabled(self, make_capture) -> None:
        """redact=False writes every value as given."""
        capture = make_capture(JsonFormatter(redact=False))
        capture.logger.info("m", extra={"password": "p", "nested": {"token": "t"}})
        assert capture.one()["context"] == {"password": "p", "nested": {"token": "t"}}

    def test_disabled_redaction_still_sanitizes(self, make_capture) -> None:
        """With redaction off, cycles and non-str keys are still made safe."""
        capture = make_capture(JsonFormatter(redact=False))
        loop: dict[object, object] = {1: "int", "1": "str"}
        loop["me"] = loop
        capture.logger.info("m", extra={"v": loop})
        assert capture.one()["context"] == {"v": {"1": "int", "1#2": "str", "me": "<cycle>"}}

    def test_many_distinct_keys_do_not_grow_the_cache_without_bound(self, capture) -> None:
        """Dynamic keys (ids as keys) keep working past the decision cache's size."""
        for i in range(5000):
            capture.logger.info("m", extra={f"k{i}": i, f"token{i}": "t"})
        last = capture.records()[-1]
        assert last["context"] == {"k4999": 4999, "token4999": REDACTED}


class TestRedactorUnit:
    def test_known_plain_keys_with_nested_values_are_still_walked(self) -> None:
        """The cached fast check never skips a nested secret under known-plain keys."""
        redactor = Redactor(DEFAULT_REDACT_KEYS, max_depth=8)
        assert redactor.redact_fields({"cfg": 1}) == {"cfg": 1}  # caches "cfg" as plain
        assert redactor.redact_fields({"cfg": {"password": "p"}}) == {"cfg": {"password": REDACTED}}

    def test_unchanged_values_are_returned_as_is(self) -> None:
        """Nothing secret: the same objects come back (no copies)."""
        redactor = Redactor(["token"], max_depth=8)
        fields = {"a": [1, {"b": 2}]}
        assert redactor.redact_fields(fields) is fields
        assert redactor.redact(3) == 3

    def test_cycles_and_depth_are_reported_to_the_caller(self) -> None:
        """Cyclic or too-deep values raise UnsafeStructureError (the formatter then sanitizes)."""
        redactor = Redactor(["token"], max_depth=2)
        loop: list[object] = []
        loop.append(loop)
        with pytest.raises(UnsafeStructureError):
            redactor.redact(loop)
        with pytest.raises(UnsafeStructureError):
            redactor.redact([[[1]]])


class TestStaticFields:
    def test_secret_static_field_is_redacted_on_the_common_path(self, make_capture) -> None:
        """static_fields={"api_token": ...} never writes the token (checked once, at construction)."""
        capture = make_capture(JsonFormatter(static_fields={"api_token": SECRET, "region": "eu"}))
        capture.logger.info("m", extra={"n": 1})
        record = capture.one()
        assert (record["api_token"], record["region"]) == (REDACTED, "eu")
        assert SECRET not in capture.lines()[0]

    def test_secret_static_field_is_redacted_on_the_sanitizing_path(self, make_capture) -> None:
        """A record that takes the slow path (NaN) redacts the static field too."""
        capture = make_capture(JsonFormatter(static_fields={"dbPassword": SECRET}))
        capture.logger.info("m", extra={"loss": float("nan")})
        assert capture.one()["dbPassword"] == REDACTED

    def test_long_static_value_is_cut_once(self, make_capture) -> None:
        """A static string is capped once: the slow path does not cut its marker again."""
        capture = make_capture(
            JsonFormatter(static_fields={"note": "x" * 50}, max_string_length=10)
        )
        capture.logger.info("m", extra={"loss": float("nan")})
        assert capture.one()["note"] == "x" * 10 + "...[truncated 40 chars]"


class TestCutKeys:
    def test_a_long_key_is_judged_in_full(self, make_capture) -> None:
        """A key longer than max_string_length is checked before it is cut."""
        capture = make_capture(JsonFormatter(max_string_length=40))
        key = "k" * 200 + "_password"
        capture.logger.info("m", extra={key: SECRET})
        assert list(capture.one()["context"].values()) == [REDACTED]
        assert SECRET not in capture.lines()[0]

    def test_a_short_limit_hides_no_secret(self, make_capture) -> None:
        """max_string_length=5 with password=... writes neither "hunte" nor the value."""
        capture = make_capture(JsonFormatter(max_string_length=5))
        capture.logger.info("m", extra={"password": SECRET})
        assert "hunte" not in capture.lines()[0]
        assert list(capture.one()["context"].values()) == [REDACTED]

    def test_fixed_keys_and_timestamp_are_never_cut(self, make_capture) -> None:
        """The line's schema survives a tiny limit: fixed keys whole, timestamp valid."""
        capture = make_capture(JsonFormatter(max_string_length=5, service="trainer"))
        try:
            raise ValueError("boom")
        except ValueError:
            capture.logger.exception("a long message", extra={"step": 1})
        record = capture.one()
        absent = {"logging_error", "stack", "trace_id", "span_id", "trace_flags"}
        assert set(record) == {*RESERVED_KEYS - absent, "service"}
        assert set(record["exception"]) == {"type", "message", "traceback"}
        assert dt.datetime.fromisoformat(record["timestamp"]).tzinfo is not None
        assert record["message"] == "a lon...[truncated 9 chars]"

    def test_fixed_keys_are_never_redacted(self, make_capture) -> None:
        """A configured name equal to a fixed key redacts fields, not the line's own keys."""
        capture = make_capture(JsonFormatter(redact_keys=["message", "level"]))
        log = StructuredLogger(capture.name)
        log.info("kept", message="hidden", loss=float("nan"))  # NaN: the sanitizing path
        record = capture.one()
        assert (record["message"], record["level"]) == ("kept", "INFO")
        assert record["context"] == {"message": REDACTED, "loss": "NaN"}


class TestContainers:
    """Containers that used to be written as their repr are redacted by structure first."""

    def test_namedtuple_fields_are_redacted_by_name(self, capture) -> None:
        """Named tuples are written as objects of their fields, secrets redacted."""
        capture.logger.info("m", extra={"login": Login("ada", SECRET), "t": [TypedLogin("b", "k")]})
        assert capture.one()["context"] == {
            "login": {"user": "ada", "password": REDACTED},
            "t": [{"user": "b", "api_key": REDACTED}],
        }

    def test_namedtuples_on_the_sanitizing_path(self, capture) -> None:
        """The slow path (here for a cycle) writes named tuples the same way."""
        loop: list[object] = [Login(float("nan"), SECRET)]
        loop.append(loop)
        capture.logger.info("m", extra={"loop": loop})
        assert capture.one()["context"] == {
            "loop": [{"user": "NaN", "password": REDACTED}, "<cycle>"]
        }

    def test_tuples_with_odd_fields_stay_lists(self, capture) -> None:
        """A tuple subclass whose _fields are not names is written as a list."""

        class Odd(tuple[object, ...]):
            _fields = (1, 2)

        capture.logger.info("m", extra={"odd": Odd(("a", "b")), "short": Odd(("a",))})
        assert capture.one()["context"] == {"odd": ["a", "b"], "short": ["a"]}

    def test_namespaces_are_written_as_their_attributes(self, capture) -> None:
        """SimpleNamespace and argparse.Namespace become objects, redacted at any depth."""
        args = argparse.Namespace(lr=0.1, api_key=SECRET)
        nested = SimpleNamespace(db=SimpleNamespace(host="h", password=SECRET))
        capture.logger.info("m", extra={"cli": args, "cfg": nested})
        assert capture.one()["context"] == {
            "cli": {"lr": 0.1, "api_key": REDACTED},
            "cfg": {"db": {"host": "h", "password": REDACTED}},
        }

    def test_objects_holding_secrets_are_not_written_as_their_repr(self, capture) -> None:
        """An object whose attributes hold a secret is written as them, redacted."""
        capture.logger.info("m", extra={"conn": Connection("h", SECRET), "model": Model()})
        assert capture.one()["context"] == {
            "conn": {"host": "h", "password": REDACTED},
            "model": "Model(layers=3)",
        }

    def test_cyclic_objects_holding_secrets_are_marked(self, capture) -> None:
        """Objects whose attributes hold a secret, or a cycle, are cut at the cycle."""
        conn = Connection("h", SECRET)
        conn.self = conn  # type: ignore[attr-defined]
        loop: list[object] = []
        loop.append(loop)
        model = Model()
        model.loop = loop  # type: ignore[attr-defined]
        capture.logger.info("m", extra={"conn": conn, "model": model})
        assert capture.one()["context"] == {
            "conn": {"host": "h", "password": REDACTED, "self": "<cycle>"},
            "model": {"layers": 3, "loop": ["<cycle>"]},
        }

    def test_dataframe_secret_columns_are_redacted_before_rendering(self, capture) -> None:
        """A DataFrame keeps its text form, with secret columns replaced."""
        frame = pd.DataFrame({"user": ["ada", "bob"], "password": [SECRET, SECRET]})
        capture.logger.info("m", extra={"frame": frame})
        text = capture.one()["context"]["frame"]
        assert isinstance(text, str)
        assert "ada" in text
        assert REDACTED in text
        assert SECRET not in capture.lines()[0]
        assert frame["password"].tolist() == [SECRET, SECRET]  # the caller's frame is intact

    @pytest.mark.parametrize(
        "frame",
        [
            pd.DataFrame({("db", "password"): [SECRET], ("db", "host"): ["h"]}),
            pd.DataFrame({"meta": [{"token": SECRET}], "n": [1]}),
            pd.DataFrame({"apiKeys": [SECRET] * 2000, "n": range(2000)}),
            pd.DataFrame([[SECRET, SECRET]], columns=["password", "password"]),
        ],
        ids=["multiindex", "object-column", "large", "duplicate-columns"],
    )
    def test_dataframe_shapes_hide_the_secret(self, capture, frame: pd.DataFrame) -> None:
        """MultiIndex, object and duplicate columns and large frames leak nothing."""
        capture.logger.info("m", extra={"frame": frame})
        assert SECRET not in capture.lines()[0]
        assert REDACTED in capture.one()["context"]["frame"]

    def test_large_object_arrays_clean_their_elements(self, capture) -> None:
        """Object arrays and Series beyond max_array_size hide secrets in their elements."""
        rows = [{"password": SECRET, "i": i} for i in range(1001)]
        array, series = np.array(rows, dtype=object), pd.Series(rows)
        capture.logger.info("m", extra={"array": array, "series": series})
        context = capture.one()["context"]
        assert SECRET not in capture.lines()[0]
        assert context["array"].startswith("array([{'password': '[REDACTED]', 'i': 0}")
        assert REDACTED in context["series"]
        assert array[0]["password"] == SECRET
        assert series[0]["password"] == SECRET

    def test_object_array_holding_itself_is_marked(self, capture) -> None:
        """A large object array that contains itself ends in a cycle marker, not a crash."""
        array = np.empty(1001, dtype=object)
        array[:] = 1
        array[0] = array
        capture.logger.info("m", extra={"array": array})
        assert "<cycle>" in capture.one()["context"]["array"]

    def test_series_and_index_named_like_secrets(self, capture) -> None:
        """A Series or Index named like a secret is replaced whole."""
        series = pd.Series([SECRET], name="password")
        index = pd.Index([SECRET], name="tokens")
        capture.logger.info("m", extra={"s": series, "i": index, "ok": pd.Series([1], name="n")})
        assert capture.one()["context"] == {"s": REDACTED, "i": REDACTED, "ok": [1]}

    def test_structured_arrays_are_written_by_field(self, capture) -> None:
        """numpy structured arrays become objects of their fields, redacted by name."""
        records = np.array([("ada", SECRET)], dtype=[("user", "U8"), ("password", "U8")])
        capture.logger.info("m", extra={"records": records, "one": records[0]})
        assert capture.one()["context"] == {
            "records": {"user": ["ada"], "password": REDACTED},
            "one": {"user": "ada", "password": REDACTED},
        }

    def test_containers_in_static_fields_are_redacted(self, make_capture) -> None:
        """Static fields get the same structural redaction, once."""
        formatter = JsonFormatter(static_fields={"cfg": SimpleNamespace(token=SECRET)})
        capture = make_capture(formatter)
        capture.logger.log(logging.INFO, "m")
        assert capture.one()["cfg"] == {"token": REDACTED}


def test_flat_nested_dicts_are_redacted_once_their_keys_are_new(capture) -> None:
    """The shortcut for flat dicts of known plain keys never skips a secret key or a container."""
    log = capture.logger
    log.info("m", extra={"cfg": {"lr": 0.1, "name": "adamw"}})  # keys now known plain
    log.info("m", extra={"cfg": {"lr": 0.1, "name": "adamw", "api_key": "k"}})
    log.info("m", extra={"cfg": {"lr": [{"password": "pw"}], "name": "adamw"}})
    log.info("m", extra={"cfg": {"lr": 0.1, "name": ("token", {"secret": 1})}})
    contexts = [record["context"]["cfg"] for record in capture.records()]  # type: ignore[index]
    assert contexts == [
        {"lr": 0.1, "name": "adamw"},
        {"lr": 0.1, "name": "adamw", "api_key": "[REDACTED]"},
        {"lr": [{"password": "[REDACTED]"}], "name": "adamw"},
        {"lr": 0.1, "name": ["token", {"secret": "[REDACTED]"}]},
    ]
