"""Version of the ml-infra-metrics distribution (the single source hatch reads)."""

__version__ = "0.1.0"
