"""The release rehearsal (``python3 tools/dev.py demo``) and its loopback index and guarded install."""
