"""``python -m tools.release``: the release CLI (see tools/release/README.md)."""

import sys

from tools.release.cli import main

sys.exit(main())
