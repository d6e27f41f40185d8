"""Redaction of secrets by value: credentials inside strings, whatever their key.

Key-based redaction (:mod:`~ml_infra.logging._redaction`) hides ``password=...``;
this module hides what a value shows by its shape: the password of a URL
(``postgresql://ml:hunter2@db/x`` -> ``postgresql://ml:***@db/x``), the
credentials of an ``Authorization`` header, ``Bearer`` and ``Basic`` tokens,
AWS access key ids, PEM private key blocks, GitHub and Slack tokens and JWTs.
Only the secret part is replaced by :data:`MASK`, so a reader still sees which
database or which kind of key was involved.

Clean strings cost almost nothing: :meth:`ValueMasker.needs_masking` first looks
for short fixed substrings every default pattern contains (``://``,
``Bearer``, ``AKIA``...), and the regexes run only when one is present. The
default patterns are one precompiled regex; patterns you add run after it, each
on its own (they keep their own group numbers).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ml_infra.logging._errors import ConfigurationError, LoggingTypeError
from ml_infra.logging._text import exception_text, safe_repr

__all__ = ["MASK", "ValueMasker"]

MASK = "***"
"""What replaces the secret part of a value."""

_TOKEN68 = r"[A-Za-z0-9._~+/-]"  # RFC 7235 token68 (Bearer tokens), then '=' padding
_B64 = r"[A-Za-z0-9+/]"
_END = r"(?![A-Za-z0-9._~+/=-])"  # the token ends here (not a prefix of a longer word)
# A key shape starts a word: after a non-word character, or after an escape such
# as the "\n" or "\x00" of a repr (a message may be a dict's repr).
_START = r"(?:(?<![A-Za-z0-9_])|(?<=\\[nrtfvab])|(?<=\\x[0-9a-f]{2})|(?<=\\u[0-9a-f]{4}))"

# Each alternative names its secret part ``s_<kind>``: only that part is masked.
# Compiled when a masker is built, not at import (start-up time).
_DEFAULT = "|".join(
    (
        # scheme://user:password@host, scheme://:password@host (the last '@'
        # before the path: an unencoded '@' in the password stays hidden)
        r"(?<=[A-Za-z0-9+.-])://[^\s:/?#@]*:(?P<s_url>[^\s/?#]+)@",
        # Authorization: <scheme> <credentials> (header, dict repr, key=value)
        r"[Aa]uthorization['\"]?[ \t]*[:=][ \t]*['\"]?"
        r"(?:(?i:bearer|basic|token|digest|negotiate|apikey)[ \t]+)?(?!\[REDACTED\])(?P<s_header>[^\s'\",;]+)",
        # Bearer/Basic tokens: long, or with a digit (prose like "Bearer tokens" stays)
        rf"Bearer[ \t]+(?P<s_bearer>(?=[A-Za-z0-9._~+/-]*\d){_TOKEN68}{{6,}}=*"
        rf"|{_TOKEN68}{{16,}}=*){_END}",
        rf"Basic[ \t]+(?P<s_basic>(?={_B64}*[\d+/]){_B64}{{6,}}={{0,2}}"
        rf"|{_B64}{{16,}}={{0,2}}|{_B64}{{4,}}={{1,2}}){_END}",
        # AWS access key ids (long-term AKIA, temporary ASIA): the prefix stays
        _START + r"(?:AKIA|ASIA)(?P<s_aws>[A-Z0-9]{16})(?![A-Za-z0-9])",
        # PEM private keys (RSA, EC, OPENSSH, ENCRYPTED, PGP ... BLOCK); cut ones to the end
        r"-----BEGIN (?P<pem>[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?)-----"
        r"(?P<s_pem>(?s:.+?)(?=-----END (?P=pem)-----)|(?s:.+))",
        # GitHub tokens (classic ghp_/gho_/ghu_/ghs_/ghr_, fine-grained github_pat_)
        _START + r"gh[pousr]_(?P<s_github>[A-Za-z0-9]{30,255})(?![A-Za-z0-9_])",
        _START + r"github_pat_(?P<s_github_pat>[A-Za-z0-9_]{22,255})",
        # Slack tokens (xoxb-, xoxp-, xoxa-, xoxr-, xoxs-, xoxo-)
        _START + r"xox[abposr]-(?P<s_slack>[A-Za-z0-9-]{10,})",
        # JWTs: header.payload.signature, both base64url JSON objects ("eyJ" = '{"')
        _START + r"(?<!-)eyJ(?P<s_jwt>[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*)",
    )
)
_URL_CREDENTIALS = r"://[^\s/?#@]*:[^\s/?#]*@"  # a superset of the URL pattern, also on JSON
_GITHUB = r"gh[pousr]_|github_pat_"


def _mask_default(match: re.Match[str]) -> str:
    """The match with its secret group (the one that took part) replaced by :data:`MASK`."""
    for name in match.re.groupindex:
        if not name.startswith("s_"):
            continue
        start, end = match.span(name)
        if start >= 0:
            whole = match.group()
            offset = match.start()
            return whole[: start - offset] + MASK + whole[end - offset :]
    return MASK  # pragma: no cover - every alternative has a secret group


def _mask_custom(match: re.Match[str]) -> str:
    """A custom pattern's match: its ``secret`` group masked, or all of it."""
    if "secret" in match.re.groupindex:
        start, end = match.span("secret")
        if start >= 0:
            whole, offset = match.group(), match.start()
            return whole[: start - offset] + MASK + whole[end - offset :]
    return MASK


def _compile(pattern: object, where: str) -> re.Pattern[str]:
    """A user's pattern, compiled and checked (a str regex that cannot match nothing)."""
    if isinstance(pattern, str):
        try:
            compiled = re.compile(pattern)
        except re.error as exc:
            raise ConfigurationError(
                f"{where}: redact_patterns entry {safe_repr(pattern)} is not a valid regular "
                f"expression ({exception_text(exc)})"
            ) from None
    elif isinstance(pattern, re.Pattern) and isinstance(pattern.pattern, str):
        compiled = pattern
    else:
        raise LoggingTypeError(
            f"{where}: redact_patterns entries must be str or compiled str patterns, "
            f"got {type(pattern).__name__}"
        )
    if compiled.search("") is not None:
        raise ConfigurationError(
            f"{where}: redact_patterns entry {safe_repr(compiled.pattern)} matches the empty "
            "string, so it would mask between every character; make it match the secret itself"
        )
    return compiled


class ValueMasker:
    """Masks secrets inside strings (see the module docstring).

    Args:
        patterns: More patterns (str or compiled; a group named ``secret``
            limits the mask to that group, else the whole match is masked).
        defaults: Whether the default patterns apply.
        where: Who is configuring, for error messages.

    Raises:
        LoggingTypeError: ``patterns`` is not a collection, or an entry is not
            a str or compiled str pattern.
        ConfigurationError: An entry does not compile or matches the empty string.

    Example:
        >>> masker = ValueMasker()
        >>> masker.mask("postgresql://ml:hunter2@db/x and Bearer eyJhbGciOiJIUzI1NiJ9")
        'postgresql://ml:***@db/x and Bearer ***'
        >>> masker.mask("https://host/path, ada@example.org")
        'https://host/path, ada@example.org'
    """

    __slots__ = ("_custom", "_default", "_defaults", "_github", "_url", "always")

    def __init__(
        self,
        patterns: Iterable[str | re.Pattern[str]] = (),
        *,
        defaults: bool = True,
        where: str = "ValueMasker",
    ) -> None:
        if isinstance(patterns, str | bytes | re.Pattern) or not isinstance(patterns, Iterable):
            raise LoggingTypeError(
                f"{where}: redact_patterns must be a collection of patterns, "
                f"got {type(patterns).__name__}"
            )
        try:
            given = list(patterns)
        except Exception as exc:  # a hostile iterable: its own error must not escape
            raise LoggingTypeError(
                f"{where}: redact_patterns could not be read as a collection, "
                f"got {type(patterns).__name__} raising {exception_text(exc)}"
            ) from None
        self._custom = tuple(_compile(pattern, where) for pattern in given)
        self._defaults = defaults
        self._default = re.compile(_DEFAULT)
        self._url = re.compile(_URL_CREDENTIALS).search
        self._github = re.compile(_GITHUB).search
        self.always = bool(self._custom)
        """Custom patterns have no cheap pre-check: every string goes through them."""

    def needs_masking(self, text: str) -> bool:
        """Tell whether ``text`` (a string or a JSON line) may hold a secret to mask.

        True for any text when custom patterns are set. Else a cheap test of
        the fixed substrings the default patterns contain; it also holds on
        JSON-encoded text, whose escapes never hide those substrings.

        Args:
            text: Any string.

        Returns:
            False when :meth:`mask` would certainly leave ``text`` unchanged.

        Example:
            >>> ValueMasker().needs_masking("s3://bucket/key"), ValueMasker().needs_masking("AKIA")
            (False, True)
        """
        if self.always:
            return True
        # One fast single-character scan (memchr) guards each group of substrings.
        return self._defaults and (
            ("@" in text and "://" in text and self._url(text) is not None)
            or ("B" in text and ("Bearer" in text or "Basic" in text or "-----BEGIN" in text))
            or ("A" in text and ("AKIA" in text or "ASIA" in text))
            or ("z" in text and "uthoriz" in text)
            or ("J" in text and "eyJ" in text)
            or ("x" in text and "xox" in text)
            or (
                "_" in text
                and ("gh" in text or "github_pat_" in text)
                and self._github(text) is not None
            )
        )

    def mask(self, text: str) -> str:
        """Return ``text`` with every secret part replaced by :data:`MASK`.

        Args:
            text: Any string.

        Returns:
            ``text`` itself when nothing matched.

        Example:
            >>> ValueMasker(["ssn=(?P<secret>[0-9-]+)"]).mask("ssn=123-45-6789 AKIAIOSFODNN7EXAMPLE")
            'ssn=*** AKIA***'
        """
        if not self.needs_masking(text):
            return text
        if self._defaults:
            text = self._default.sub(_mask_default, text)
        for pattern in self._custom:
            text = pattern.sub(_mask_custom, text)
        return text
