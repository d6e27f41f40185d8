"""Every docstring example in every module of every distribution runs and holds."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

SUBS = ("decorators", "logging", "metrics", "preprocessing")


def _modules() -> list[str]:
    names = []
    for sub in SUBS:
        package = importlib.import_module(f"ml_infra.{sub}")
        names.append(package.__name__)
        names += [f"{package.__name__}.{m.name}" for m in pkgutil.iter_modules(package.__path__)]
    return names


@pytest.mark.usefixtures("isolated_globals")
@pytest.mark.parametrize("name", _modules())
def test_docstring_examples(name, capsys):
    """The module's examples print what they show (ELLIPSIS allowed)."""
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, report=False)
    assert result.failed == 0, capsys.readouterr().out


def test_public_functions_have_examples():
    """Every public callable of every distribution documents a short example."""
    missing = []
    for sub in SUBS:
        package = importlib.import_module(f"ml_infra.{sub}")
        for name in package.__all__:
            obj = getattr(package, name)
            if callable(obj) and not isinstance(obj, type) and ">>>" not in (obj.__doc__ or ""):
                missing.append(f"ml_infra.{sub}.{name}")
    assert missing == []
