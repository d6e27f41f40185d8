"""Fixtures of the release tests: a real devpi-server on loopback for the whole session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.tools.release._devpi import DevpiServer


@pytest.fixture(scope="session")
def devpi(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevpiServer]:
    """devpi-server on 127.0.0.1 (a free port, a temporary server directory), always stopped."""
    with DevpiServer(tmp_path_factory.mktemp("devpi")) as server:
        yield server
