"""Keys are read as words: spellings, concatenations and plurals of secret names match."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from ml_infra.logging import DEFAULT_REDACT_KEYS, REDACTED, JsonFormatter
from ml_infra.logging._keys import NON_SECRET_FORMS, SecretKeys

SECRET_KEYS = [
    # issue 14: values were written in clear under these
    "passWord",
    "pass_word",
    "dbpassword",
    "APIkey",
    "api_keys",
    "apitoken",
    "tokens",
    "clientsecret",
    "SECRETKEY",
    # case, separators and digits
    "password",
    "PASSWORD",
    "Password",
    "db_password",
    "DB_PASSWORD",
    "db-password",
    "db.password",
    "dbPassword",
    "password2",
    "password_2",
    "passwd",
    "mysql_pwd",
    "secret",
    "client_secret",
    "clientSecret",
    "SecretKey",
    "secret_key",
    "AWS_SECRET_ACCESS_KEY",
    "token",
    "access_token",
    "accesstoken",
    "refreshToken",
    "authToken",
    "x-auth-token",
    "id_token",
    "HF_TOKEN",
    "github_token",
    "api_key",
    "apiKey",
    "APIKEY",
    "X-Api-Key",
    "openai.api.key",
    "OPENAI_API_KEY",
    "openaiApiKey",
    "OpenAIAPIKey",
    "authorization",
    "HTTP_AUTHORIZATION",
    "auth",
    "cookie",
    "Set-Cookie",
    "private_key",
    "privateKey",
    "privatekey",
    "aws_access_key_id",
    "credential",
    "credentials",
    "session_id",
    "sessionId",
    "SESSIONID",
    "jwt",
    "pass_phrase",
    # plurals
    "passwords",
    "user_passwords",
    "passWords",
    "secrets",
    "client_secrets",
    "apikeys",
    "APIKeys",
    "x-api-keys",
    "apiTokens",
    "refresh_tokens",
    "cookies",
    "set_cookies",
    "accessKeys",
    "private_keys",
    "session_ids",
    "jwts",
    "pwds",
    # unknown words before a secret name
    "rootpassword",
    "newPassword",
    "bearerToken",
    "topsecret",
    # a plural of cookie: only counts of tokens are non-secret forms
    "cookies_per_day",
    # a secret name beside, not inside, a non-secret form
    "max_tokens_api_key",
    "token_count_secret",
    # more words after the name
    "password_hash",
    "passwordHint",
]

PLAIN_KEYS = [
    # counts, limits and budgets of tokens (NON_SECRET_FORMS)
    "token_count",
    "token_counts",
    "tokenCount",
    "tokencount",
    "token_budget",
    "token_limit",
    "tokenLimit",
    "token_usage",
    "max_tokens",
    "maxTokens",
    "MAX_TOKENS",
    "max_new_tokens",
    "maxNewTokens",
    "min_new_tokens",
    "min_tokens",
    "num_tokens",
    "num_input_tokens",
    "n_tokens",
    "ntokens",
    "total_tokens",
    "prompt_tokens",
    "completion_tokens",
    "max_completion_tokens",
    "input_tokens",
    "output_tokens",
    "max_output_tokens",
    "tokens_per_second",
    "tokensPerSecond",
    "tokens_per_sec",
    # words that merely contain a secret name
    "tokenizer",
    "tokenizer_name",
    "tokenized",
    "author",
    "authors",
    "authority",
    "unauthorized",
    "keyboard",
    "passage",
    "passages",
    "passenger",
    "bypass",
    "secretary",
    "cookiecutter",
    # names that are only part of a secret name
    "key",
    "keys",
    "public_key",
    "monkey",
    "session",
    "sessions",
    "user_id",
    # everyday fields
    "user",
    "learning_rate",
    "epoch",
    "word_count",
]


class TestKeyTable:
    @pytest.mark.parametrize("key", SECRET_KEYS)
    def test_secret_key_is_redacted(self, capture, key: str) -> None:
        """Keys whose words spell a secret name are redacted, however they are written."""
        capture.logger.info("m", extra={key: "s3cr3t", "n": 1})
        assert capture.one()["context"] == {key: REDACTED, "n": 1}

    @pytest.mark.parametrize("key", PLAIN_KEYS)
    def test_plain_key_is_kept(self, capture, key: str) -> None:
        """Token counts and words that merely contain a secret name are kept."""
        capture.logger.info("m", extra={key: 7})
        assert capture.one()["context"] == {key: 7}

    def test_the_table_is_large_and_disjoint(self) -> None:
        """At least 80 keys are checked, each on one side only."""
        assert len(SECRET_KEYS) + len(PLAIN_KEYS) >= 80
        assert not set(SECRET_KEYS) & set(PLAIN_KEYS)


STYLES = {
    "snake": lambda words: "_".join(words),
    "kebab": lambda words: "-".join(words),
    "dotted": lambda words: ".".join(words),
    "upper": lambda words: "_".join(words).upper(),
    "train": lambda words: "-".join(w.capitalize() for w in words),
    "camel": lambda words: words[0] + "".join(w.capitalize() for w in words[1:]),
    "pascal": lambda words: "".join(w.capitalize() for w in words),
    "flat": lambda words: "".join(words),
    "flat-upper": lambda words: "".join(words).upper(),
}
JOINED = {"flat", "flat-upper"}  # no word boundary is left for an unknown word after the name


@given(
    name=st.sampled_from(sorted(DEFAULT_REDACT_KEYS)),
    prefix=st.sampled_from(["", "db", "user", "prod", "x", "openai", "aws", "client"]),
    suffix=st.sampled_from(["", "id", "hash", "value"]),
    style=st.sampled_from(sorted(STYLES)),
    plural=st.booleans(),
)
def test_every_style_of_a_default_name_is_secret(name, prefix, suffix, style, plural) -> None:
    """snake, kebab, camel, Pascal, upper and run-together keys all hide default names."""
    words = name.split("_")
    if plural and not words[-1].endswith("s"):
        words[-1] += "s"
    words = [w for w in (prefix, *words, "" if style in JOINED else suffix) if w]
    key = STYLES[style](words)
    assert SecretKeys(DEFAULT_REDACT_KEYS).is_secret(key), key


class TestWords:
    @pytest.mark.parametrize(
        ("key", "words"),
        [
            ("X-Api-Key", ["x", "api", "key"]),
            ("APIkey", ["api", "key"]),
            ("APIKey", ["api", "key"]),
            ("SECRETKEY", ["secret", "key"]),
            ("passWord", ["pass", "word"]),
            ("dbPasswords", ["db", "password"]),
            ("dbpassword", ["db", "password"]),
            ("cookies", ["cookie"]),
            ("tokens_per_second", ["token", "per", "second"]),
            ("password2", ["password", "2"]),
            ("tokenizer", ["tokenizer"]),
            ("secretary", ["secretary"]),
            ("contraseñaPassword", ["contraseña", "password"]),
        ],
    )
    def test_keys_split_into_vocabulary_words(self, key: str, words: list[str]) -> None:
        """Keys split at separators, digits, case humps and between known words."""
        assert SecretKeys(DEFAULT_REDACT_KEYS).words(key) == words

    def test_password_stays_one_word(self) -> None:
        """The fewest words win: password is not read as pass + word."""
        assert SecretKeys(["password", "pass_word"]).words("password") == ["password"]

    @pytest.mark.parametrize("form", NON_SECRET_FORMS)
    def test_every_non_secret_form_is_plain(self, form: str) -> None:
        """Each documented non-secret form is plain with the default names."""
        keys = SecretKeys(DEFAULT_REDACT_KEYS)
        assert not keys.is_secret(form)
        assert not keys.is_secret(f"{form}_second" if form.endswith("per") else form.upper())

    def test_long_chunks_are_read_from_their_end(self) -> None:
        """A key of one very long chunk is still read (its end, where suffixes sit)."""
        keys = SecretKeys(DEFAULT_REDACT_KEYS)
        assert keys.is_secret("x" * 100_000 + "password")
        assert not keys.is_secret("x" * 100_000 + "passage")


class TestConfiguredNames:
    def test_extra_names_are_read_as_words_too(self, make_capture) -> None:
        """Names added by the user match case, separators and plurals alike."""
        capture = make_capture(JsonFormatter(extra_redact_keys=["ssn", "card_number"]))
        capture.logger.info("m", extra={"userSSNs": 1, "CARDNUMBERS": 2, "lessons": 3})
        assert capture.one()["context"] == {
            "userSSNs": REDACTED,
            "CARDNUMBERS": REDACTED,
            "lessons": 3,
        }

    def test_a_name_given_in_full_beats_a_non_secret_form(self, make_capture) -> None:
        """redact_keys=["token_count"] redacts token_count: the form only guards token."""
        capture = make_capture(JsonFormatter(redact_keys=["token_count"]))
        capture.logger.info("m", extra={"token_count": 1, "max_tokens": 2, "tokens": 3})
        assert capture.one()["context"] == {"token_count": REDACTED, "max_tokens": 2, "tokens": 3}

    def test_names_written_joined_match_keys_written_apart(self) -> None:
        """A name spelled APIKEY matches api_key and X-Api-Keys."""
        keys = SecretKeys(["APIKEY"])
        assert keys.is_secret("api_key")
        assert keys.is_secret("X-Api-Keys")
        assert not keys.is_secret("api")

    @pytest.mark.parametrize("name", ["", "__", "-."])
    def test_names_without_letters_are_refused(self, name: str) -> None:
        """A name with no letters or digits could never match: it is a mistake."""
        with pytest.raises(ValueError, match="has no letters or digits"):
            SecretKeys([name])
