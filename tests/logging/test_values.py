"""Value redaction: secrets masked by their shape in every string of a line."""

from __future__ import annotations

import dataclasses
import io
import logging
import re

import pytest
from ml_infra.logging import (
    ENV_REDACT_VALUES,
    ConfigurationError,
    JsonFormatter,
    LoggingTypeError,
    StructuredLogger,
    configure,
)
from ml_infra.logging._keys import SecretKeys
from ml_infra.logging._values import ValueMasker

AWS = "AKIAIOSFODNN7EXAMPLE"
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
PEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7\nq0w==\n-----END RSA PRIVATE KEY-----"
GITHUB = "ghp_" + "a1B2" * 9
SLACK = "xoxb-123456789012-abcdefABCDEF"

# (text, masked): every default pattern, in context
MASKED = [
    ("postgresql://ml:hunter2@db/x", "postgresql://ml:***@db/x"),
    ("redis://:s3cret@cache:6379/0", "redis://:***@cache:6379/0"),
    ("url=mysql+pymysql://u:p@ss:w@h/db ok", "url=mysql+pymysql://u:***@h/db ok"),
    ("see https://ada:pw@example.org/a?b=c#d", "see https://ada:***@example.org/a?b=c#d"),
    ("Authorization: Bearer xyz", "Authorization: Bearer ***"),
    ("authorization=abc123", "authorization=***"),
    ("{'Authorization': 'Basic dXNlcjpwYXNz'}", "{'Authorization': 'Basic ***'}"),
    (f"header Bearer {JWT} sent", "header Bearer *** sent"),
    ("Bearer 0123456789abcdef", "Bearer ***"),
    ("Basic dXNlcjpwYXNzd29yZA==", "Basic ***"),
    (f"key {AWS} in use", "key AKIA*** in use"),
    ("temporary ASIAY34FZKBOKMUTVV7A", "temporary ASIA***"),
    (f"line1\n{AWS}", "line1\nAKIA***"),
    (f"cfg {PEM} end", "cfg -----BEGIN RSA PRIVATE KEY-----***-----END RSA PRIVATE KEY----- end"),
    (
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1r (cut)",
        "-----BEGIN OPENSSH PRIVATE KEY-----***",
    ),
    (f"token {GITHUB}.", "token ghp_***."),
    ("github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstu", "github_pat_***"),
    (f"slack {SLACK}", "slack xoxb-***"),
    (f"jwt={JWT}", "jwt=***"),
    # header names, auth schemes and URL schemes in any case (RFC 9110)
    ("AUTHORIZATION: Bearer x", "AUTHORIZATION: Bearer ***"),
    ("authorization: bearer abc123", "authorization: bearer ***"),
    (f"sent bearer {JWT}", "sent bearer ***"),
    ("BASIC dXNlcjpwYXNz", "BASIC ***"),
    ("Basic dXNlcjpwYXNz", "Basic ***"),
    ("Proxy-Authorization: Basic dXNlcjpwYXNz", "Proxy-Authorization: Basic ***"),
    ("proxy-authorization: NEGOTIATE YIIBhwYGKwYBBQUC", "proxy-authorization: NEGOTIATE ***"),
    ("BeArEr 0123456789abcdef", "BeArEr ***"),
    ("POSTGRESQL://u:p@h/x", "POSTGRESQL://u:***@h/x"),
    # key=value pairs whose key names a secret: the value is masked, the key stays
    ("GET /runs?token=abc&x=1", "GET /runs?token=***&x=1"),
    ("q=1&password=hunter2", "q=1&password=***"),
    ("client_secret=s3cr3t; scope=read", "client_secret=***; scope=read"),
    ("api_key = abc123, model=resnet", "api_key = ***, model=resnet"),
    ("--api-key=abc --epochs=3", "--api-key=*** --epochs=3"),
    ("PASSWORD=hunter2", "PASSWORD=***"),
    ('dbPassword="two words"', 'dbPassword="***"'),
    ("access_token='eyJ.x'", "access_token='***'"),
    ("{'password': 'hunter 2', 'lr': 0.1}", "{'password': '***', 'lr': 0.1}"),
    ('{"apiKey": "abc", "model": "resnet"}', '{"apiKey": "***", "model": "resnet"}'),
    ("{'Auth': 'Bearer abc'}", "{'Auth': 'Bearer ***'}"),
    ("run_id=7 session_id=xyz", "run_id=7 session_id=***"),
    # a pair whose key is not secret still has its value masked by shape
    ("url=POSTGRESQL://u:p@h/x?sslmode=require", "url=POSTGRESQL://u:***@h/x?sslmode=require"),
    ("{'dsn': 'redis://:pw@cache/0'}", "{'dsn': 'redis://:***@cache/0'}"),
]

# near misses: nothing to mask
CLEAN = [
    "https://host/path",
    "https://host:8080/path?q=a@b",
    "https://user@host/x",
    "s3://ml-data/train.parquet",
    "ada@example.org",
    "user@host",
    "ratio 3:2@scale",
    "Bearer tokens expire after an hour",
    "Basic statistics",
    "authorization failed for user ada",
    "NVIDIA AKIAIOSFODNN7EXAMPLEX",
    "AKIA1234",
    "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
    "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----",
    "ghp_short",
    "weights through high",
    "eyJhbGciOiJIUzI1NiJ9 alone",
    "xoxb-",
    "{'authorization': '[REDACTED]'}",  # key redaction's marker stays as it is
    "password=[REDACTED]",
    # prose and non-secret keys near the new rules
    "the token was expired",
    "password reset requested",
    "Token: expired, please log in",
    "max_tokens=512 tokenizer=bpe num_tokens=3",
    "author=ada authored=yes",
    "secretary=ada",
    "basic training",
    "BASIC STATISTICS",
    "bearer bonds",
    "AUTHORIZATION FAILED for ada",
    "password=",
    "token = ",
    "{'token_count': 12}",
    "it's the password's turn",
    "ratio=0.5 lr=0.001",
]


def mask(text: str) -> str:
    return ValueMasker().mask(text)


class TestPatterns:
    @pytest.mark.parametrize(("text", "masked"), MASKED)
    def test_each_default_pattern_masks_only_the_secret(self, text, masked) -> None:
        """Each default pattern replaces the secret part with ***, the context stays."""
        assert mask(text) == masked

    @pytest.mark.parametrize("text", CLEAN)
    def test_near_misses_are_left_alone(self, text) -> None:
        """URLs without passwords, emails, prose and public keys are never masked."""
        assert mask(text) == text

    @pytest.mark.parametrize(("text", "masked"), MASKED)
    def test_pre_check_never_skips_a_secret(self, text, masked) -> None:
        """The cheap pre-check is true for every text holding a secret, also JSON-encoded."""
        import json

        masker = ValueMasker()
        assert masker.needs_masking(text)
        assert masker.needs_masking(json.dumps({"k": text}))

    @pytest.mark.parametrize(
        "text",
        [
            "epoch 3 done",
            "s3://bucket/key",
            "max_tokens",
            "",
            "the token was expired",
            "optimizer adamw",
            "lr=0.1 epochs=3",
        ],
    )
    def test_pre_check_is_false_on_clean_text(self, text) -> None:
        """Clean strings do not run the regexes."""
        assert not ValueMasker().needs_masking(text)

    @pytest.mark.parametrize(
        "line",
        [
            '{"password":"[REDACTED]","epoch":3}',
            '{"message":"epoch 3","context":{"optimizer":{"name":"adamw","lr":0.001}}}',
        ],
    )
    def test_json_pre_check_ignores_the_quotes_of_keys(self, line) -> None:
        """On a JSON line only an escaped quote can open a quoted pair: clean lines stay cheap."""
        assert not ValueMasker().needs_masking_json(line)


class TestKeyValuePairs:
    def test_the_key_names_of_key_redaction_are_used(self) -> None:
        """key=value pairs follow the formatter's key names: added ones mask, removed ones not."""
        masker = ValueMasker(keys=SecretKeys(["ssn"]))
        assert masker.mask("ssn=123-45-6789 token=abc") == "ssn=*** token=abc"
        assert masker.needs_masking_json('{"m":"SSN=1"}')

    def test_the_formatter_masks_pairs_with_its_own_keys(self, make_capture) -> None:
        """JsonFormatter(extra_redact_keys=...) also masks those keys' values in text."""
        capture = make_capture(JsonFormatter(extra_redact_keys=["ssn"]))
        capture.logger.info("lookup ssn=123-45-6789 with token=abc, max_tokens=5")
        assert capture.one()["message"] == "lookup ssn=*** with token=***, max_tokens=5"

    @pytest.mark.parametrize("value", ["abc", "'a b'", '"a b"'])
    def test_basic_is_not_taken_for_base64(self, value) -> None:
        """A word after 'Basic' that is no base64 of user:password stays."""
        assert mask(f"basic {value} done") == f"basic {value} done"

    @pytest.mark.parametrize("masked", [masked for _, masked in MASKED])
    def test_masking_is_idempotent(self, masked) -> None:
        """Masking masked text changes nothing more."""
        assert mask(masked) == masked


class TestFormatter:
    def test_message_and_its_args_are_masked(self, capture) -> None:
        """The message is masked after %-formatting, so secrets in args are covered."""
        capture.logger.info("connecting to %s with %s", "postgresql://ml:hunter2@db/x", AWS)
        record = capture.one()
        assert record["message"] == "connecting to postgresql://ml:***@db/x with AKIA***"

    def test_fields_at_any_depth_and_keys_are_masked(self, capture) -> None:
        """Every string field is masked, nested in dicts, lists and tuples, keys too."""
        StructuredLogger(capture.name, database_url="postgresql://ml:hunter2@db/x").info(
            "m",
            headers=[{"X-Forwarded": f"Bearer {JWT}"}],
            nested={"a": ({"b": [GITHUB]},)},
            **{"by https://u:pw@h": 1},
        )
        context = capture.one()["context"]
        assert context == {
            "database_url": "postgresql://ml:***@db/x",
            "headers": [{"X-Forwarded": "Bearer ***"}],
            "nested": {"a": [{"b": ["ghp_***"]}]},
            "by https://u:***@h": 1,
        }
        assert "hunter2" not in capture.stream.getvalue()

    def test_objects_are_masked_after_conversion(self, capture) -> None:
        """Objects converted to text or fields (dataclasses, exceptions, reprs) are masked."""

        @dataclasses.dataclass
        class Settings:
            dsn: str

        class Conn:
            def __repr__(self) -> str:
                return "<Conn postgresql://ml:hunter2@db/x>"

        capture.logger.info(
            "m", extra={"settings": Settings("redis://:pw@c"), "conn": Conn(), "err": KeyError(AWS)}
        )
        context = capture.one()["context"]
        assert context == {
            "settings": {"dsn": "redis://:***@c"},
            "conn": "<Conn postgresql://ml:***@db/x>",
            "err": "KeyError: 'AKIA***'",
        }

    def test_exception_text_traceback_and_stack_are_masked(self, capture) -> None:
        """The exception's message and traceback and the stack info are masked."""
        try:
            raise ConnectionError("cannot reach postgresql://ml:hunter2@db/x")
        except ConnectionError:
            capture.logger.exception("failed", stack_info=True, extra={"k": "v"})
        record = capture.one()
        assert record["exception"]["message"] == "cannot reach postgresql://ml:***@db/x"  # type: ignore[index]
        assert "postgresql://ml:***@db/x" in record["exception"]["traceback"]  # type: ignore[index]
        assert "hunter2" not in capture.stream.getvalue()
        assert record["stack"]

    def test_static_fields_are_masked_once(self, make_capture) -> None:
        """Static fields are masked at construction."""
        formatter = JsonFormatter(static_fields={"endpoint": "https://svc:pw@api"})
        capture = make_capture(formatter)
        capture.logger.info("m")
        assert capture.one()["endpoint"] == "https://svc:***@api"

    def test_masking_happens_before_cutting(self, make_capture) -> None:
        """A long string is masked first, so a cut cannot leave half a secret."""
        capture = make_capture(JsonFormatter(max_string_length=30))
        capture.logger.info("m", extra={"dsn": "x" * 10 + "postgresql://ml:hunter2hunter2@db/x"})
        dsn = capture.one()["context"]["dsn"]  # type: ignore[index]
        assert dsn.startswith("xxxxxxxxxxpostgresql://ml:***")
        assert "hunter" not in capture.stream.getvalue()

    def test_key_redaction_still_applies(self, capture) -> None:
        """Keys named like secrets are still redacted whole."""
        capture.logger.info("m", extra={"password": "https://host/path"})
        assert capture.one()["context"] == {"password": "[REDACTED]"}

    @pytest.mark.parametrize("options", [{"redact_values": False}, {"redact": False}])
    def test_value_redaction_can_be_turned_off(self, make_capture, options) -> None:
        """redact_values=False (or redact=False) writes values as they are."""
        capture = make_capture(JsonFormatter(**options))
        capture.logger.info("to %s", "postgresql://ml:hunter2@db/x", extra={"k": AWS})
        record = capture.one()
        assert record["message"] == "to postgresql://ml:hunter2@db/x"
        assert record["context"] == {"k": AWS}

    def test_clean_records_are_unchanged(self, capture) -> None:
        """A record without secrets is written exactly as with value redaction off."""
        off = JsonFormatter(redact_values=False)
        capture.logger.info("epoch %d", 3, extra={"path": "s3://b/k", "user": "ada@example.org"})
        line = capture.lines()[0]
        assert '"path":"s3://b/k","user":"ada@example.org"' in line
        assert off.format(logging.makeLogRecord({"msg": "x"})).startswith('{"timestamp"')


class TestCustomPatterns:
    def test_str_and_compiled_patterns_are_added(self, make_capture) -> None:
        """Custom patterns mask their 'secret' group, or the whole match."""
        capture = make_capture(
            JsonFormatter(
                redact_patterns=[r"ssn=(?P<secret>\d{3}-\d{2}-\d{4})", re.compile(r"\bsk-\w{8,}")]
            )
        )
        capture.logger.info("ssn=123-45-6789 key sk-abcdefgh12 and %s", AWS)
        assert capture.one()["message"] == "ssn=*** key *** and AKIA***"

    def test_custom_patterns_apply_to_nested_fields(self, make_capture) -> None:
        """Custom patterns run on every string, like the defaults."""
        capture = make_capture(JsonFormatter(redact_patterns=["internal-[0-9]+"]))
        capture.logger.info("m", extra={"hosts": ["internal-42", "public"]})
        assert capture.one()["context"] == {"hosts": ["***", "public"]}

    @pytest.mark.parametrize(
        ("patterns", "error", "match"),
        [
            (["("], ConfigurationError, "redact_patterns entry '\\(' is not a valid regular"),
            (["x*"], ConfigurationError, "entry 'x\\*' matches the empty string"),
            ([re.compile(b"x")], LoggingTypeError, "entries must be str or compiled str"),
            ([3], LoggingTypeError, "entries must be str or compiled str patterns, got int"),
            ("abc", LoggingTypeError, "redact_patterns must be a collection of patterns, got str"),
            (3, LoggingTypeError, "must be a collection of patterns, got int"),
        ],
    )
    def test_bad_patterns_are_refused_at_construction(self, patterns, error, match) -> None:
        """Invalid patterns raise at construction, naming the entry."""
        with pytest.raises(error, match=f"^JsonFormatter: .*{match}"):
            JsonFormatter(redact_patterns=patterns)

    def test_patterns_with_value_redaction_off_are_refused(self) -> None:
        """Asking for patterns while turning value redaction off is a contradiction."""
        with pytest.raises(ConfigurationError, match="redact_patterns given, but value redaction"):
            JsonFormatter(redact_values=False, redact_patterns=["x"])

    def test_redact_values_must_be_a_bool(self) -> None:
        """redact_values takes a bool only."""
        with pytest.raises(LoggingTypeError, match="redact_values must be a bool, got str"):
            JsonFormatter(redact_values="no")  # type: ignore[arg-type]


class TestConfigure:
    @pytest.fixture
    def name(self) -> object:
        logger = logging.getLogger("tests.values.configure")
        logger.propagate = False
        yield logger.name
        for handler in list(logger.handlers):
            logger.removeHandler(handler)

    def _line(self, out: io.StringIO, name: str) -> str:
        logging.getLogger(name).info("dsn %s", "postgresql://ml:hunter2@db/x")
        return out.getvalue()

    @pytest.mark.parametrize(("value", "masked"), [("0", False), ("off", False), ("TRUE", True)])
    def test_environment_turns_it_on_or_off(self, name, monkeypatch, value, masked) -> None:
        """ML_INFRA_LOG_REDACT_VALUES=0/false/no/off turns value redaction off."""
        monkeypatch.setenv(ENV_REDACT_VALUES, value)
        out = io.StringIO()
        configure(stream=out, logger=name)
        assert ("hunter2" not in self._line(out, name)) is masked

    def test_argument_wins_over_environment(self, name, monkeypatch) -> None:
        """configure(redact_values=True) wins over the variable; patterns are passed on."""
        monkeypatch.setenv(ENV_REDACT_VALUES, "off")
        out = io.StringIO()
        configure(stream=out, logger=name, redact_values=True, redact_patterns=["db/x"])
        assert "postgresql://ml:***@***" in self._line(out, name)

    def test_bad_environment_value(self, name, monkeypatch) -> None:
        """An unknown flag raises ConfigurationError naming the variable."""
        monkeypatch.setenv(ENV_REDACT_VALUES, "maybe")
        with pytest.raises(
            ConfigurationError,
            match=r"^configure: environment variable ML_INFRA_LOG_REDACT_VALUES must be one of "
            r"1, true, yes, on, 0, false, no, off, got 'maybe'$",
        ):
            configure(stream=io.StringIO(), logger=name)

    def test_options_with_a_formatter_are_refused(self, name) -> None:
        """Value options go to the formatter when one is given."""
        with pytest.raises(ConfigurationError, match="to the formatter, not alongside it"):
            configure(
                stream=io.StringIO(), logger=name, formatter=JsonFormatter(), redact_values=False
            )
