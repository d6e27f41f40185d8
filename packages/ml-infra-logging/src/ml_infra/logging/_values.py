"""Redaction of secrets by value: credentials inside strings, whatever their key.

Key-based redaction (:mod:`~ml_infra.logging._redaction`) hides ``password=...``;
this module hides what a value shows by its shape: the password of a URL
(``postgresql://ml:hunter2@db/x`` -> ``postgresql://ml:***@db/x``), the
credentials of an ``Authorization`` (or ``Proxy-Authorization``) header,
``Bearer`` and ``Basic`` tokens, AWS access key ids, PEM private key blocks,
GitHub and Slack tokens, JWTs, and the values of ``key=value`` pairs (and of
quoted ``'key': 'value'`` pairs) whose key names a secret, as decided by the
same :class:`~ml_infra.logging._keys.SecretKeys` as key redaction
(``?token=abc&x=1`` -> ``?token=***&x=1``; ``max_tokens=512`` stays). Header
names and auth schemes match in any case (RFC 9110), URL schemes too. Only the
secret part is replaced by :data:`MASK`, so a reader still sees which database
or which kind of key was involved.

Clean strings cost almost nothing: :meth:`ValueMasker.needs_masking` first looks
for short fixed substrings every default pattern contains (``://``, ``AKIA``,
``eyJ``...), lower-cases the text only when a letter of a case-insensitive
anchor is present (``b``/``B`` for ``bearer``/``basic``, ``z``/``Z`` for
``authoriz``, or an ``=`` or quote for ``key=value``), and the regexes run only
when an anchor is present. The default patterns are one precompiled regex;
patterns you add run after it, each on its own (they keep their own group
numbers).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from ml_infra.logging._errors import ConfigurationError, LoggingTypeError
from ml_infra.logging._keys import SecretKeys
from ml_infra.logging._redaction import DEFAULT_REDACT_KEYS
from ml_infra.logging._text import exception_text, safe_repr

__all__ = ["MASK", "ValueMasker"]

MASK = "***"
"""What replaces the secret part of a value."""


def _value(kind: str) -> str:
    r"""A key=value pair's value, quoted or bare; key redaction's marker stays.

    Quoted: to the next quote (a repr's ``\'`` too). Bare: to a space, ``&``,
    ``,``, ``;`` or quote.
    """
    return (
        rf"(?:\\?['\"](?!\[REDACTED\])(?P<s_{kind}q>[^'\"\r\n]+?)\\?['\"]"
        rf"|(?!\[REDACTED\])(?P<s_{kind}>[^\s&,;'\"]+))"
    )


_SCHEME = r"(?ai:bearer|basic|token|digest|negotiate|apikey)"  # auth schemes, any case
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
        # [Proxy-]Authorization: <scheme> <credentials> (header, dict repr, key=value),
        # header name and scheme in any case (RFC 9110)
        r"(?ai:authorization)['\"]?[ \t]*[:=][ \t]*['\"]?"
        rf"(?:{_SCHEME}[ \t]+)?(?!\[REDACTED\])"
        r"(?P<s_header>[^\s'\",;]+)",
        # Bearer tokens: long, or with a digit (prose like "Bearer tokens" stays)
        rf"(?ai:bearer)[ \t]+(?P<s_bearer>(?=[A-Za-z0-9._~+/-]*\d){_TOKEN68}{{6,}}=*"
        rf"|{_TOKEN68}{{16,}}=*){_END}",
        # Basic credentials: base64 of user:password (checked when masking), or
        # with a digit, '+' or '/', or long ("Basic statistics" stays)
        rf"(?ai:basic)[ \t]+(?P<s_basic>{_B64}{{4,}}={{0,2}}){_END}",
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
# key=value (free text, query strings, CLI flags) and 'key': 'value' (reprs, JSON):
# masked when the key names a secret (decided when masking). A second pass, after
# the shapes (a pair must not swallow the start of a PEM block or URL).
_PAIRS = "|".join(
    (
        r"(?<![\w.-])-*(?P<k_kv>[A-Za-z_][\w.-]{0,63})[ \t]*=[ \t]*" + _value("kv"),
        r"(?P<kq_open>\\?['\"])(?P<k_kq>[A-Za-z_][\w .-]{0,63})(?P=kq_open)[ \t]*:[ \t]*"
        + _value("kq"),
    )
)
_URL_CREDENTIALS = r"://[^\s/?#@]*:[^\s/?#]*@"  # a superset of the URL pattern, also on JSON
_GITHUB = r"gh[pousr]_|github_pat_"


def _is_basic_credential(token: str) -> bool:
    """Whether a ``Basic`` token is credentials, not a word of prose.

    Credentials: base64 of ``user:password``, or a token with a digit, ``+`` or
    ``/`` (6+ characters), or a long or padded one.
    """
    if len(token) >= 16 or (len(token) >= 6 and any(c in token for c in "+/0123456789")):
        return True
    if token.endswith("="):
        return True
    import binascii  # rarely needed: not imported at start-up (import time)

    try:  # "dXNlcjpwYXNz" is "user:pass": no digit, short, unpadded
        decoded = binascii.a2b_base64(token + "=" * (-len(token) % 4))
    except (binascii.Error, ValueError):
        return False
    return b":" in decoded and decoded.isascii()


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


def _always(text: str) -> bool:
    """Custom patterns: every string may hold a secret."""
    return True


def _never(text: str) -> bool:
    """No default patterns and no custom ones: nothing to mask."""
    return False


def _pre_check(
    url: Callable[[str], object],
    github: Callable[[str], object],
    anchors: tuple[str, ...],
    quote: str,
) -> tuple[Callable[[str], bool], Callable[[str], bool]]:
    r"""The default patterns' pre-check and its pair test, specialised once.

    ``quote`` is what may open a quoted key: ``"`` in plain text, ``\"`` in JSON.
    """

    def has_pair(text: str) -> bool:
        """Whether ``text`` may hold a key=value pair whose key names a secret."""
        if "=" in text or "'" in text or quote in text:
            low = text.lower()
            return any(anchor in low for anchor in anchors)
        return False

    def check(text: str) -> bool:
        # One fast single-character scan (memchr) guards each group of substrings.
        upper_b = "B" in text
        if (
            ("@" in text and "://" in text and url(text) is not None)
            or (upper_b and "-----BEGIN" in text)
            or ("A" in text and ("AKIA" in text or "ASIA" in text))
            or ("J" in text and "eyJ" in text)
            or ("x" in text and "xox" in text)
            or (
                "_" in text and ("gh" in text or "github_pat_" in text) and github(text) is not None
            )
        ):
            return True
        # Case-insensitive anchors: lower-case the text only when one may be there
        # (str.lower() costs less than any case-insensitive search or scan).
        schemes = upper_b or "b" in text
        header = "z" in text or "Z" in text
        if schemes or header:
            low = text.lower()
            if (schemes and ("bearer" in low or "basic" in low)) or (header and "authoriz" in low):
                return True
        return ("=" in text or "'" in text or quote in text) and has_pair(text)

    return check, has_pair


class ValueMasker:
    r"""Masks secrets inside strings (see the module docstring).

    Args:
        patterns: More patterns (str or compiled; a group named ``secret``
            limits the mask to that group, else the whole match is masked).
        defaults: Whether the default patterns apply.
        keys: Decides which keys of ``key=value`` pairs name secrets (key
            redaction's, so both agree); the default key names when None.
        where: Who is configuring, for error messages.

    Raises:
        LoggingTypeError: ``patterns`` is not a collection, or an entry is not
            a str or compiled str pattern.
        ConfigurationError: An entry does not compile or matches the empty string.

    Attributes:
        needs_masking: ``needs_masking(text)`` is False when :meth:`mask` would
            certainly leave ``text`` unchanged: a cheap test of the fixed
            substrings the default patterns contain (see the module
            docstring); True for any text with custom patterns.
        needs_masking_json: The same for JSON text (a whole line): a quote
            inside a JSON string is escaped (``\"``), and only that one, not the
            quotes around every key and string, can open a quoted pair.

    Example:
        >>> masker = ValueMasker()
        >>> masker.needs_masking("s3://bucket/key"), masker.needs_masking("BEARER x")
        (False, True)
        >>> masker.needs_masking_json('{"password":"[REDACTED]","epoch":3}')
        False
        >>> masker.mask("postgresql://ml:hunter2@db/x and Bearer eyJhbGciOiJIUzI1NiJ9")
        'postgresql://ml:***@db/x and Bearer ***'
        >>> masker.mask("https://host/path, ada@example.org")
        'https://host/path, ada@example.org'
    """

    __slots__ = (
        "_anchors",
        "_custom",
        "_default",
        "_defaults",
        "_has_pair",
        "_is_secret",
        "_pairs",
        "_scheme",
        "always",
        "needs_masking",
        "needs_masking_json",
    )

    def __init__(
        self,
        patterns: Iterable[str | re.Pattern[str]] = (),
        *,
        defaults: bool = True,
        keys: SecretKeys | None = None,
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
        url = re.compile(_URL_CREDENTIALS).search
        github = re.compile(_GITHUB).search
        self._pairs = re.compile(_PAIRS)
        self._scheme = re.compile(_SCHEME + r"[ \t]+(?=\S)").match
        keys = SecretKeys(DEFAULT_REDACT_KEYS) if keys is None else keys
        self._is_secret: Callable[[str], bool] = keys.is_secret
        self._anchors = keys.anchors
        self.always = bool(self._custom)
        """Custom patterns have no cheap pre-check: every string goes through them."""
        check, self._has_pair = _pre_check(url, github, self._anchors, '"')
        check_json, _ = _pre_check(url, github, self._anchors, '\\"')
        if self.always or not defaults:
            check = check_json = _always if self.always else _never
        self.needs_masking: Callable[[str], bool] = check
        """Whether a string may hold a secret (False: :meth:`mask` changes nothing)."""
        self.needs_masking_json: Callable[[str], bool] = check_json
        """As ``needs_masking``, for JSON text: only an escaped quote opens a quoted key."""

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
            text = self._default.sub(self._mask_default, text)
            if self._has_pair(text):
                text = self._mask_pairs(text)
        for pattern in self._custom:
            text = pattern.sub(_mask_custom, text)
        return text

    def _mask_default(self, match: re.Match[str]) -> str:
        """The match with its secret group (the one that took part) masked.

        A ``Basic`` word that is not credentials stays.
        """
        whole, offset = match.group(), match.start()
        for name in match.re.groupindex:
            if not name.startswith("s_"):
                continue
            start, end = match.span(name)
            if start < 0:
                continue
            if name == "s_basic" and not _is_basic_credential(whole[start - offset :]):
                return whole
            return whole[: start - offset] + MASK + whole[end - offset :]
        return MASK  # pragma: no cover - every alternative has a secret group

    def _mask_pairs(self, text: str) -> str:
        """``text`` with the value of each pair whose key names a secret masked.

        An auth scheme opening a quoted value stays (``'auth': 'Bearer ***'``).
        After a pair whose key is not secret the search goes on inside its value
        (``'q': 'token=***'``, a repr inside a repr).
        """
        out: list[str] = []
        pos = 0
        search, is_secret = self._pairs.search, self._is_secret
        while (match := search(text, pos)) is not None:
            kind = "kv" if match.group("k_kv") is not None else "kq"
            if not is_secret(match.group("k_" + kind)):
                end = match.end("k_" + kind)
                out.append(text[pos:end])
                pos = end
                continue
            name = f"s_{kind}q" if match.group(f"s_{kind}q") is not None else f"s_{kind}"
            start, end = match.span(name)
            scheme = self._scheme(text, start, end) if name.endswith("q") else None
            out.append(text[pos:start] + (MASK if scheme is None else scheme.group() + MASK))
            pos = end
        out.append(text[pos:])
        return "".join(out)
