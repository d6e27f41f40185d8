"""The error of the release tooling."""

from __future__ import annotations

from tools._console import ToolError


class ReleaseError(ToolError):
    """A release step refused or failed; the message says what and how to fix it."""
