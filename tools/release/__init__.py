"""Per-distribution release tooling: ``python3 tools/dev.py release <command>``."""
