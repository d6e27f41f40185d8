"""Which keys name secrets: keys are read as words, not matched as spellings.

A key is first cut into chunks at every character that is not a letter
(``_``, ``-``, ``.``, spaces...), around digits, and where a lower-case letter
meets an upper-case one (``passWord``). An upper-case run stays with the
lower-case letters after it (``APIkey``, ``SECRETKEY``): the next step splits
those. Each chunk, lower-cased, becomes words of the vocabulary (the words of
the secret names and of the non-secret forms below): all of it when it is made
of them (``secretkey`` -> secret, key; ``apikeys`` -> api, key), else an
unknown head and the longest tail made of them (``dbpassword`` -> db,
password), else the chunk is one word (``tokenizer``, ``secretary``,
``author``). Plurals count as their word (``tokens``, ``cookies``, ``passes``).

A key is secret when consecutive words spell a secret name, separators aside:
``pass_word`` and ``passWord`` spell ``password``, ``api_key`` and ``APIKEY``
spell ``api_key``.

Non-secret forms (:data:`NON_SECRET_FORMS`) are counts, limits and budgets of
tokens, everyday ML fields: ``max_tokens``, ``max_new_tokens``, ``num_tokens``,
``token_count``, ``tokens_per_second``... A secret name found only inside such
a form (``token`` in ``max_tokens``) does not count; one that reaches beyond
it does (``api_key`` in ``max_tokens_api_key``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from ml_infra.logging._errors import ConfigurationError, LoggingTypeError

__all__ = ["NON_SECRET_FORMS", "SecretKeys"]

NON_SECRET_FORMS: tuple[str, ...] = (
    "completion_tokens",
    "input_tokens",
    "max_new_tokens",
    "max_tokens",
    "min_new_tokens",
    "min_tokens",
    "n_tokens",
    "num_tokens",
    "output_tokens",
    "prompt_tokens",
    "token_budget",
    "token_count",
    "token_limit",
    "token_usage",
    "tokens_per",
    "total_tokens",
)
"""Word runs naming counts, limits and budgets of tokens, never credentials.

``tokens_per`` covers rates (``tokens_per_second``); plurals match too
(``token_counts``, ``max_token``).
"""

_RUN = re.compile(r"[^\W\d_]+|\d+")  # letters (any script) or digits
_HUMP = re.compile(r"(?<=[a-z])(?=[A-Z])")  # passWord, authToken
_PLURALS = (("s", ""), ("es", ""), ("ies", "y"))  # suffix, what replaces it
_TAIL = 64  # a longer chunk is split in its last 64 letters only (names end chunks)
_CACHE_LIMIT = 4096
_CACHED_KEY_LENGTH = 1024  # longer keys are decided each time, not pinned in the cache


def _chunks(key: str) -> list[str]:
    """Cut a key into lower-case chunks (see the module docstring)."""
    chunks: list[str] = []
    for run in _RUN.findall(key):
        if run.isascii():
            chunks.extend(part.lower() for part in _HUMP.split(run))
            continue
        start = 0  # other scripts: the same lower-to-upper rule, by character
        for i in range(1, len(run)):
            if run[i - 1].islower() and run[i].isupper():
                chunks.append(run[start:i].lower())
                start = i
        chunks.append(run[start:].lower())
    return chunks


class _Vocabulary:
    """Known words, and the splitting of chunks into them."""

    __slots__ = ("_endings", "_longest", "_words")

    def __init__(self, words: Iterable[str]) -> None:
        self._words = frozenset(word for word in words if len(word) > 1 and not word.isdigit())
        self._longest = max(map(len, self._words), default=0) + 3  # room for "ies"
        # Every split ends in a word: a chunk ending in none stays whole (most do).
        self._endings = tuple(
            {word + suffix for word in self._words for suffix, _ in (("", ""), *_PLURALS)}
            | {word[:-1] + "ies" for word in self._words if word.endswith("y")}
        )

    def word(self, piece: str) -> str | None:
        """The vocabulary word ``piece`` is, singular, or None."""
        words = self._words
        for suffix, end in _PLURALS:
            if piece.endswith(suffix):
                stem = piece[: -len(suffix)] + end
                if stem in words:
                    return stem
        return piece if piece in words else None

    def segment(self, chunk: str) -> list[str]:
        """Split a lower-case chunk into words (see the module docstring).

        Fewest words first, longer words on ties: ``password`` stays one word
        although ``pass`` and ``word`` are known too.
        """
        if not chunk.endswith(self._endings):
            return [chunk]
        head = ""
        if len(chunk) > _TAIL:
            head, chunk = chunk[:-_TAIL], chunk[-_TAIL:]
        n = len(chunk)
        # count[i]: fewest words spelling chunk[i:]; nxt/words: the first of them
        count = [math.inf] * (n + 1)
        count[n] = 0
        nxt = [n] * (n + 1)
        words = [""] * (n + 1)
        word = self.word
        for i in range(n - 2, -1, -1):
            for j in range(min(n, i + self._longest), i + 1, -1):
                if count[j] + 1 < count[i]:
                    found = word(chunk[i:j])
                    if found is not None:
                        count[i], nxt[i], words[i] = count[j] + 1, j, found
        start = next((i for i in range(n) if count[i] < math.inf), n)
        out = [head + chunk[:start]] if head or start else []
        while start < n:
            out.append(words[start])
            start = nxt[start]
        return out


class SecretKeys:
    """Decides which keys name secrets (see the module docstring), with a cache.

    Args:
        names: The secret key names.
        where: Who is configuring, for error messages.

    Raises:
        LoggingTypeError: A name is not a str.
        ConfigurationError: A name has no letters or digits.

    Example:
        >>> keys = SecretKeys(["password", "api_key", "token"])
        >>> [keys.is_secret(k) for k in ("dbPassword", "APIkeys", "max_tokens", "tokenizer")]
        [True, True, False, False]
    """

    __slots__ = (
        "_cache",
        "_forms",
        "_longest",
        "_mentions",
        "_names",
        "_plain",
        "_vocabulary",
        "anchors",
    )

    def __init__(self, names: Iterable[str], *, where: str = "SecretKeys") -> None:
        given = list(names)
        for name in given:
            if not isinstance(name, str):
                raise LoggingTypeError(f"{where}: key names must be str, got {type(name).__name__}")
            if not _RUN.search(name):
                raise ConfigurationError(f"{where}: key name {name!r} has no letters or digits")
        spelled = [_chunks(text) for text in (*given, *NON_SECRET_FORMS)]
        self._vocabulary = _Vocabulary(chunk for chunks in spelled for chunk in chunks)
        self._names = frozenset("".join(self.words(name)) for name in given)
        self._longest = max(map(len, self._names), default=0) + 3  # room for "ies"
        # Words that, joined, nowhere contain a name (nor a plural's stem) are plain.
        stems = sorted({name[:-1] if name.endswith("y") else name for name in self._names})
        self._mentions = re.compile("|".join(map(re.escape, stems)) or "(?!)").search
        self._forms = frozenset(tuple(self.words(form)) for form in NON_SECRET_FORMS)
        firsts = {words[0] for words in map(self.words, given) if words}
        firsts = {word[:-1] if word.endswith("y") else word for word in firsts}
        self.anchors = tuple(sorted(w for w in firsts if not any(o in w for o in firsts - {w})))
        """Lower-case words, one of which any text spelling a secret key contains
        (its first word, or its plural's stem)."""
        self._cache: dict[str, bool] = {}
        self._plain: set[str] = set()

    @property
    def plain(self) -> set[str]:
        """Keys already decided not to be secret (a live set; do not modify)."""
        return self._plain

    def words(self, key: str) -> list[str]:
        """Split a key into its lower-case, singular words.

        Args:
            key: A field name such as ``"X-Api-Key"`` or ``"dbPasswords"``.

        Returns:
            The words.

        Example:
            >>> keys = SecretKeys(["api_key", "password"])
            >>> keys.words("X-Api-Key"), keys.words("dbPasswords"), keys.words("APIkey2")
            (['x', 'api', 'key'], ['db', 'password'], ['api', 'key', '2'])
        """
        segment = self._vocabulary.segment
        return [word for chunk in _chunks(key) for word in segment(chunk)]

    def is_secret(self, key: str) -> bool:
        """Tell whether values under ``key`` must be redacted.

        Args:
            key: A field name, in full.

        Returns:
            True when consecutive words of the key spell a secret name outside
            a non-secret form.

        Example:
            >>> keys = SecretKeys(["token"])
            >>> keys.is_secret("refreshTokens"), keys.is_secret("tokens_per_second")
            (True, False)
        """
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        words = self.words(key)
        secret = self._mentions("".join(words)) is not None and self._decide(words)
        if len(self._cache) < _CACHE_LIMIT and len(key) <= _CACHED_KEY_LENGTH:
            self._cache[key] = secret
            if not secret:
                self._plain.add(key)
        return secret

    def _decide(self, words: list[str]) -> bool:
        forms: list[tuple[int, int]] | None = None  # found only once a name matches
        for i in range(len(words)):
            spelled = ""
            for j in range(i + 1, len(words) + 1):
                spelled += words[j - 1]
                if len(spelled) > self._longest:
                    break
                if not self._spells_name(spelled):
                    continue
                if forms is None:
                    forms = self._find_forms(words)
                if not any(a <= i and j <= b and (a, b) != (i, j) for a, b in forms):
                    return True
        return False

    def _spells_name(self, spelled: str) -> bool:
        """Whether joined words spell a secret name, or its plural (``pass_words``)."""
        names = self._names
        return spelled in names or any(
            spelled.endswith(suffix) and spelled[: -len(suffix)] + end in names
            for suffix, end in _PLURALS
        )

    def _find_forms(self, words: list[str]) -> list[tuple[int, int]]:
        """Where non-secret forms occur in ``words``, as (start, end) spans."""
        return [
            (i, i + len(form))
            for form in self._forms
            for i in range(len(words) - len(form) + 1)
            if tuple(words[i : i + len(form)]) == form
        ]
