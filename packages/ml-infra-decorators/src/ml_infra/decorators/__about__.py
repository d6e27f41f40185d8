"""Version of the ml-infra-decorators distribution (the single source hatch reads)."""

__version__ = "0.1.0"
