"""Secrets are redacted by key at any depth, on by default, configurable."""

from __future__ import annotations

import dataclasses
from types import MappingProxyType

import pytest
from ml_infra.logging import DEFAULT_REDACT_KEYS, REDACTED, JsonFormatter, StructuredLogger
from ml_infra.logging._redaction import Redactor, UnsafeStructureError

SECRET_KEYS = [
    "password",
    "PASSWORD",
    "db_password",
    "passwd",
    "mysql_pwd",
    "secret",
    "client_secret",
    "SecretKey",
    "token",
    "access_token",
    "refreshToken",
    "api_key",
    "apiKey",
    "APIKEY",
    "X-Api-Key",
    "openai.api.key",
    "authorization",
    "HTTP_AUTHORIZATION",
    "auth",
    "cookie",
    "Set-Cookie",
    "private_key",
    "privateKey",
    "aws_access_key_id",
    "credentials",
    "session_id",
    "jwt",
    "password2",
]
PLAIN_KEYS = [
    "max_tokens",
    "num_tokens",
    "tokenizer",
    "author",
    "keyboard",
    "passage",
    "user",
    "learning_rate",
    "secretary",
    "cookies_per_day",
]


@dataclasses.dataclass
class DbConfig:
    host: str
    password: str


class TestDefaults:
    @pytest.mark.parametrize("key", SECRET_KEYS)
    def test_secret_key_is_redacted(self, capture, key: str) -> None:
        """Keys naming secrets are redacted, whatever their case and separators."""
        capture.logger.info("m", extra={key: "s3cr3t"})
        assert capture.one()["context"] == {key: REDACTED}

    @pytest.mark.parametrize("key", PLAIN_KEYS)
    def test_plain_key_is_kept(self, capture, key: str) -> None:
        """Words that merely contain a secret name (max_tokens, author) are kept."""
        capture.logger.info("m", extra={key: 1})
        assert capture.one()["context"] == {key: 1}

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
