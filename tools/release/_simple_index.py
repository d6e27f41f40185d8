"""Asking a package index what it holds, through its simple API (PEP 503 HTML or PEP 691 JSON).

``release publish`` never uploads before it knows which index serves what the
repository URL receives, and that this index answers: a root that does not answer
as a simple index is a configuration error, because reading its 404s as "nothing
there yet" is how released files got overwritten (on devpi, whose simple API is
``/<user>/<index>/+simple/``, not ``/<user>/<index>/simple/``). Only after the root
answered does a 404 for a project page mean the project has no files yet.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import ipaddress
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from html.parser import HTMLParser

from packaging.utils import canonicalize_name

from tools._console import say
from tools.release._errors import ReleaseError

JSON_TYPE = "application/vnd.pypi.simple.v1+json"
HTML_TYPES = frozenset({"application/vnd.pypi.simple.v1+html", "text/html"})
ACCEPT = f"{JSON_TYPE}, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.1"
KNOWN_INDEXES = {
    "upload.pypi.org": "https://pypi.org/simple/",
    "test.pypi.org": "https://test.pypi.org/simple/",
}
# Where other servers keep the simple API, relative to the upload URL, in the order
# tried: devpi (``/<user>/<index>/+simple/``), then pypiserver, Artifactory, Nexus.
LAYOUTS = ("+simple/", "simple/")
# An HTML root is judged by its first anchors: enough to tell, never a whole PyPI listing.
ROOT_PREFIX_BYTES = 256 * 1024


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def validate_url(url: str, *, what: str) -> urllib.parse.SplitResult:
    """Accept https URLs, and http only on loopback (credentials never cross a network in clear).

    Args:
        url: The URL to check.
        what: What the URL is, for the message (``"repository URL"``).

    Returns:
        The URL's parts.

    Raises:
        ReleaseError: Not http(s), plain http off loopback, or credentials in the URL.
    """
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError as exc:
        raise ReleaseError(f"{what} {url!r} is not a valid URL ({exc})") from None
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ReleaseError(f"{what} {url!r} is not an http(s) URL")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise ReleaseError(f"{what} {url!r}: plain http is allowed on loopback only; use https")
    if parts.username or parts.password:
        raise ReleaseError(f"{what} must not embed credentials; use TWINE_USERNAME/TWINE_PASSWORD")
    return parts


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect means "not here" (e.g. pypiserver's fallback to PyPI): never follow it."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class _Links(HTMLParser):
    """Collect (text, href) pairs of the anchors of a PEP 503 page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._href = dict(attrs).get("href")

    def handle_data(self, data: str) -> None:
        if self._href is not None and data.strip():
            self.links.append((data.strip(), self._href))
            self._href = None


def _links(body: bytes) -> list[tuple[str, str]]:
    parser = _Links()
    parser.feed(body.decode("utf-8", "replace"))
    return parser.links


@dataclass(frozen=True)
class _Answer:
    """One HTTP answer: status, content type, (the start of) the body, where a redirect points."""

    status: int
    reason: str
    content_type: str
    body: bytes = b""
    location: str | None = None


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urllib.parse.urlsplit(url)
    return parts.scheme, (parts.hostname or "").lower(), parts.port


def _get(url: str, credentials_for: str | None, *, limit: int | None = None) -> _Answer:
    """GET ``url`` without following redirects; at most ``limit`` bytes of the body are read.

    The upload credential goes along only to the origin (scheme, host, port) of
    ``credentials_for``, the repository it is meant for: private indexes often
    protect reads too, but a file URL on a CDN or another host (or PyPI's read
    API, when uploading to upload.pypi.org) never sees it.
    """
    request = urllib.request.Request(url, headers={"Accept": ACCEPT})  # noqa: S310 - scheme validated
    user, password = os.environ.get("TWINE_USERNAME"), os.environ.get("TWINE_PASSWORD")
    same_origin = credentials_for is not None and _origin(url) == _origin(credentials_for)
    if user and password and same_origin:
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=60) as response:
            body = response.read() if limit is None else response.read(limit)
            return _Answer(
                response.status, response.reason, response.headers.get_content_type(), body
            )
    except urllib.error.HTTPError as exc:
        with exc:
            return _Answer(
                exc.code,
                str(exc.reason),
                exc.headers.get_content_type(),
                b"",
                exc.headers["Location"],
            )
    except urllib.error.URLError as exc:
        raise ReleaseError(f"index {url} is unreachable: {exc.reason}") from exc
    except (OSError, http.client.HTTPException) as exc:  # a timeout, a dropped connection
        raise ReleaseError(f"index query {url} failed: {exc!r}") from exc


def root_problem(index_url: str, *, credentials_for: str | None = None) -> str | None:
    """Why ``index_url`` is not the root of a simple index; None when it answers as one.

    The root must answer HTTP 200 with PEP 691 JSON, or with HTML whose anchors each
    name the project they link to (PEP 503): a welcome page or a project page is not
    an index root, and neither is a redirect.
    """
    answer = _get(index_url, credentials_for, limit=ROOT_PREFIX_BYTES)
    if answer.status != 200:
        moved = f" to {answer.location}" if answer.location else ""
        return f"HTTP {answer.status} {answer.reason}{moved}"
    if answer.content_type == JSON_TYPE:
        return None
    if answer.content_type not in HTML_TYPES:
        return f"HTTP 200 with {answer.content_type}, not a simple index"
    body = answer.body
    if len(body) >= ROOT_PREFIX_BYTES:  # cut short: judge only the anchors read whole
        body = body[: body.rfind(b"</a>") + len(b"</a>")]
    for text, href in _links(body):
        target = urllib.parse.urlsplit(href).path.rstrip("/").rsplit("/", 1)[-1]
        if canonicalize_name(text) != canonicalize_name(urllib.parse.unquote(target)):
            return f"an HTML page that is not a simple index (its link {text!r} -> {href!r})"
    return None


def checked_index_url(index_url: str, *, credentials_for: str | None) -> str:
    """``index_url`` (with a final slash) once its root answers as a simple index.

    Raises:
        ReleaseError: The URL is not acceptable or its root does not answer as a simple index.
    """
    validate_url(index_url, what="index URL")
    root = index_url.rstrip("/") + "/"
    problem = root_problem(root, credentials_for=credentials_for)
    if problem is not None:
        raise ReleaseError(
            f"index URL {root} does not answer as a simple index ({problem}): pass the root "
            "of the index's simple API as --index-url (devpi: <repository-url>/+simple/, "
            "pypiserver: <server>/simple/); nothing was uploaded"
        )
    return root


def default_index_url(repository_url: str) -> str:
    """The simple index that serves what ``repository_url`` receives, found by asking.

    PyPI and TestPyPI map to their simple indexes; any other server is asked at
    ``<url>/+simple/`` (devpi: ``/<user>/<index>/`` -> ``/<user>/<index>/+simple/``),
    then ``<url>/simple/`` (pypiserver, Artifactory, Nexus), and the first root that
    answers as a simple index is the one. Reads carry the upload credential (same
    origin only), as private indexes may protect them.

    Raises:
        ReleaseError: No candidate answers; the message names each one and why.
    """
    validate_url(repository_url, what="repository URL")
    known = KNOWN_INDEXES.get(urllib.parse.urlsplit(repository_url).hostname or "")
    base = repository_url.rstrip("/") + "/"
    candidates = [known] if known else [base + layout for layout in LAYOUTS]
    tried = []
    for candidate in candidates:
        problem = root_problem(candidate, credentials_for=repository_url)
        if problem is None:
            say(f"simple index of {repository_url}: {candidate}")
            return candidate
        tried.append(f"{candidate} ({problem})")
    raise ReleaseError(
        f"found no simple index for the repository URL {repository_url}; tried "
        f"{'; '.join(tried)}. Pass the root of the index's simple API as --index-url; "
        "nothing was uploaded"
    )


def index_for_upload(repository_url: str, index_url: str | None) -> str:
    """The simple index to check uploads to ``repository_url`` against.

    Without ``index_url`` it is derived (``default_index_url``). A given
    ``index_url`` must answer as a simple index, and where the repository has a
    simple index of its own (PyPI's mapping, devpi's ``+simple/``, pypiserver's
    ``simple/``), it must be that one: checking another index (the devpi index
    page itself, a sibling index) reads every file as "not there yet", and a
    volatile index then replaces released files.

    Raises:
        ReleaseError: The given index is not a simple index, or not the repository's own.
    """
    if index_url is None:
        return default_index_url(repository_url)
    given = checked_index_url(index_url, credentials_for=repository_url)
    try:
        own = default_index_url(repository_url)
    except ReleaseError:
        return given  # the repository names no simple index of its own: trust the user
    if own != given:
        raise ReleaseError(
            f"--index-url {given} is not the simple index of {repository_url}, which "
            f"answers at {own}: files published there would not be seen at {given}, and "
            f"an existing release could be overwritten. Pass --index-url {own}, or leave "
            "it out; nothing was uploaded"
        )
    return given


def index_hashes(
    index_url: str, project: str, *, credentials_for: str | None = None
) -> dict[str, str]:
    """File name -> sha256 of the files the index holds for ``project``.

    A 404 (or a redirect away, like pypiserver's fallback to PyPI) means the index
    holds nothing of the project: call this for a root that answered (see
    ``checked_index_url`` and ``default_index_url``).

    Args:
        index_url: The root of the simple index.
        project: The project name (normalized here).
        credentials_for: The repository URL whose origin may receive the
            TWINE_USERNAME/TWINE_PASSWORD credential (None: no request carries it).
    """
    validate_url(index_url, what="index URL")
    page = index_url.rstrip("/") + f"/{canonicalize_name(project)}/"
    answer = _get(page, credentials_for)
    if answer.status == 404 or 300 <= answer.status < 400:
        return {}
    if answer.status != 200:
        raise ReleaseError(f"index query {page} failed: HTTP {answer.status} {answer.reason}")
    if answer.content_type == JSON_TYPE:
        try:
            links = [
                (str(e["filename"]), str(e["url"]), e.get("hashes", {}).get("sha256"))
                for e in json.loads(answer.body)["files"]
            ]
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ReleaseError(
                f"index page {page} is not a valid PEP 691 JSON answer ({exc!r})"
            ) from None
    else:
        links = []
        for name, href in _links(answer.body):
            algo, _, digest = urllib.parse.urlsplit(href).fragment.partition("=")
            links.append((name, href, digest if algo == "sha256" and digest else None))
    return {
        name: digest or _download_hash(urllib.parse.urljoin(page, href), credentials_for)
        for name, href, digest in links
    }


def _download_hash(url: str, credentials_for: str | None) -> str:
    validate_url(url, what="file URL")
    answer = _get(url, credentials_for)
    if answer.status != 200:
        raise ReleaseError(
            f"the index lists {url} but does not serve it (HTTP {answer.status} {answer.reason})"
        )
    return hashlib.sha256(answer.body).hexdigest()
