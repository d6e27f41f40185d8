"""The one error type of the release tooling."""

from __future__ import annotations


class ReleaseError(Exception):
    """A release step refused or failed; the message says what and how to fix it."""
