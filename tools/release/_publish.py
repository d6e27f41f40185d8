"""Publishing with twine: resumable, and refusing to overwrite different files.

The index is asked first (its simple API, PEP 691 JSON or PEP 503 HTML) which files
it already holds and with which sha256. Identical files are skipped, files that
differ are refused before anything is uploaded, the rest go up with twine, and the
index is asked again to confirm every file is there with the right hash.
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

from packaging.utils import canonicalize_name

from tools._console import PYTHON, run, say
from tools.release._dists import Distribution
from tools.release._errors import ReleaseError

JSON_TYPE = "application/vnd.pypi.simple.v1+json"
KNOWN_INDEXES = {
    "upload.pypi.org": "https://pypi.org/simple/",
    "test.pypi.org": "https://test.pypi.org/simple/",
}


def sha256(path: Path) -> str:
    """The hex sha256 of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def validate_url(url: str, *, what: str) -> urllib.parse.SplitResult:
    """Accept https URLs, and http only on loopback (credentials never cross a network in clear)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ReleaseError(f"{what} {url!r} is not an http(s) URL")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise ReleaseError(f"{what} {url!r}: plain http is allowed on loopback only; use https")
    if parts.username or parts.password:
        raise ReleaseError(f"{what} must not embed credentials; use TWINE_USERNAME/TWINE_PASSWORD")
    return parts


def default_index_url(repository_url: str) -> str:
    """The simple index that serves what ``repository_url`` receives (PyPI, or ``<url>/simple/``)."""
    host = urllib.parse.urlsplit(repository_url).hostname or ""
    return KNOWN_INDEXES.get(host, repository_url.rstrip("/") + "/simple/")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect means "not here" (e.g. pypiserver's fallback to PyPI): never follow it."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class _Links(HTMLParser):
    """Collect (file name, href) pairs of a PEP 503 project page."""

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


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urllib.parse.urlsplit(url)
    return parts.scheme, (parts.hostname or "").lower(), parts.port


def _open(url: str, accept: str, credentials_for: str | None) -> tuple[bytes, str] | None:
    """GET ``url``; None when the index does not have it (404 or a redirect away).

    The upload credential goes along only to the origin (scheme, host, port) of
    ``credentials_for``, the repository it is meant for: private indexes often
    protect reads too, but a file URL on a CDN or another host (or PyPI's read
    API, when uploading to upload.pypi.org) never sees it.
    """
    request = urllib.request.Request(url, headers={"Accept": accept})  # noqa: S310 - scheme validated
    user, password = os.environ.get("TWINE_USERNAME"), os.environ.get("TWINE_PASSWORD")
    same_origin = credentials_for is not None and _origin(url) == _origin(credentials_for)
    if user and password and same_origin:
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=60) as response:
            return response.read(), response.headers.get_content_type()
    except urllib.error.HTTPError as exc:
        if exc.code == 404 or 300 <= exc.code < 400:
            return None
        raise ReleaseError(f"index query {url} failed: HTTP {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        raise ReleaseError(f"index {url} is unreachable: {exc.reason}") from exc
    except OSError as exc:  # a timeout or a dropped connection while reading
        raise ReleaseError(f"index query {url} failed: {exc!r}") from exc


def index_hashes(
    index_url: str, project: str, *, credentials_for: str | None = None
) -> dict[str, str]:
    """File name -> sha256 of the files the index holds for ``project``.

    ``credentials_for`` is the repository URL whose origin may receive the
    TWINE_USERNAME/TWINE_PASSWORD credential (None: no request carries it).
    """
    validate_url(index_url, what="index URL")
    page = index_url.rstrip("/") + f"/{canonicalize_name(project)}/"
    got = _open(page, f"{JSON_TYPE}, text/html;q=0.1", credentials_for)
    if got is None:
        return {}
    body, content_type = got
    if content_type == JSON_TYPE:
        try:
            links = [
                (str(e["filename"]), str(e["url"]), e.get("hashes", {}).get("sha256"))
                for e in json.loads(body)["files"]
            ]
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ReleaseError(
                f"index page {page} is not a valid PEP 691 JSON answer ({exc!r})"
            ) from None
    else:
        parser = _Links()
        parser.feed(body.decode("utf-8", "replace"))
        links = []
        for name, href in parser.links:
            algo, _, digest = urllib.parse.urlsplit(href).fragment.partition("=")
            links.append((name, href, digest if algo == "sha256" and digest else None))
    return {
        name: digest or _download_hash(urllib.parse.urljoin(page, href), credentials_for)
        for name, href, digest in links
    }


def _download_hash(url: str, credentials_for: str | None) -> str:
    validate_url(url, what="file URL")
    got = _open(url, "*/*", credentials_for)
    if got is None:
        raise ReleaseError(f"the index lists {url} but does not serve it")
    return hashlib.sha256(got[0]).hexdigest()


def publish(
    root: Path, dist: Distribution, files: list[Path], repository_url: str, index_url: str
) -> list[str]:
    """Upload the ``files`` the index lacks; returns the names uploaded.

    Credentials come only from TWINE_USERNAME/TWINE_PASSWORD or keyring (twine's own
    lookup, non-interactive); they are never taken as arguments.
    """
    validate_url(repository_url, what="repository URL")
    local = {f.name: sha256(f) for f in files}
    remote = index_hashes(index_url, dist.name, credentials_for=repository_url)
    differing = sorted(n for n in local if n in remote and remote[n] != local[n])
    if differing:
        raise ReleaseError(
            f"refusing to publish {dist.name}: the index already holds different files named "
            f"{', '.join(differing)} (a released version is immutable: bump the version instead)"
        )
    present = sorted(n for n in local if n in remote)
    for name in present:
        say(f"{name}: already on the index with the same sha256, skipped")
    missing = [f for f in files if f.name not in remote]
    if missing:
        say(f"uploading {', '.join(f.name for f in missing)} to {repository_url}")
        cmd = [PYTHON, "-m", "twine", "upload", "--non-interactive", "--disable-progress-bar"]
        cmd += ["--repository-url", repository_url, *map(str, missing)]
        run(cmd, what=f"twine upload ({dist.name})", cwd=root)
    after = index_hashes(index_url, dist.name, credentials_for=repository_url)
    wrong = sorted(n for n in local if after.get(n) != local[n])
    if wrong:
        raise ReleaseError(f"after upload, the index does not serve {', '.join(wrong)} as built")
    return [f.name for f in missing]
