"""Every ```python block of every README runs, in order, as a test."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
READMES = [ROOT / "README.md", *sorted(ROOT.glob("packages/*/README.md"))]
FENCE = re.compile(r"^```python\n(.*?)^```$", re.S | re.M)


def python_blocks(path: Path) -> list[tuple[int, str]]:
    """(line number, code) of each python block in a Markdown file."""
    text = path.read_text()
    return [(text.count("\n", 0, m.start()) + 2, m.group(1)) for m in FENCE.finditer(text)]


@pytest.mark.parametrize("readme", READMES, ids=lambda p: str(p.relative_to(ROOT)))
@pytest.mark.usefixtures("isolated_globals")
def test_readme_examples_run(readme, capsys):
    """The README's python examples run top to bottom in one namespace."""
    namespace: dict[str, object] = {"__name__": "__readme__"}
    for lineno, code in python_blocks(readme):
        # Pad so tracebacks point at the README's own line numbers.
        exec(compile("\n" * (lineno - 1) + code, str(readme), "exec"), namespace)
    capsys.readouterr()


def test_packages_readmes_have_examples():
    """Each package README shows at least one runnable example."""
    for readme in READMES[1:]:
        assert python_blocks(readme), f"{readme} has no ```python example"
