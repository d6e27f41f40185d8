"""The ml-infra developer tools: ``python3 tools/dev.py <command>`` runs them all.

``tools`` is a package so that its modules import each other by name
(``tools.release._dists``); ``tools/dev.py`` is the one entry point that puts the
repository root on the import path, and it runs the others as
``python -P -m tools.<name>`` with ``PYTHONPATH`` set to that root.
"""
