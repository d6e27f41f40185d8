"""Benchmarks: ``python3 tools/dev.py bench`` (ratios against anchors measured in the same run)."""
