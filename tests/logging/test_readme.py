"""The README's python blocks run, in order, in one namespace, and hold."""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "packages" / "ml-infra-logging" / "README.md"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)


def test_readme_has_python_examples() -> None:
    """The README shows runnable examples (and install as text)."""
    text = README.read_text(encoding="utf-8")
    assert len(BLOCK.findall(text)) >= 5
    assert 'pip install "ml-infra-logging~=0.1"' in text


def test_readme_python_blocks_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    """Every ```python block of the README executes without error, in order."""
    monkeypatch.chdir(tmp_path)
    for name in ("ML_INFRA_LOG_LEVEL", "ML_INFRA_LOG_STREAM", "ML_INFRA_LOG_SERVICE"):
        monkeypatch.delenv(name, raising=False)
    root = logging.getLogger()
    saved_level, saved_handlers = root.level, list(root.handlers)
    touched = ["train", "serve", "scorer", "jobs"]
    saved = {
        name: (
            logging.getLogger(name).handlers[:],
            logging.getLogger(name).level,
            logging.getLogger(name).propagate,
        )
        for name in touched
    }
    namespace: dict[str, object] = {"__name__": "readme"}
    try:
        for index, block in enumerate(BLOCK.findall(README.read_text(encoding="utf-8"))):
            code = compile(block, f"README.md block {index + 1}", "exec")
            exec(code, namespace)
    finally:
        for handler in [h for h in root.handlers if h not in saved_handlers]:
            root.removeHandler(handler)
        root.setLevel(saved_level)
        for name, (handlers, level, propagate) in saved.items():
            logger = logging.getLogger(name)
            logger.handlers[:] = handlers
            logger.setLevel(level)
            logger.propagate = propagate
    assert os.getcwd() == str(tmp_path)
    capsys.readouterr()
