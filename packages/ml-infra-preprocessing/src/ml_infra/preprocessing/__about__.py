"""Version of the ml-infra-preprocessing distribution (the single source hatch reads)."""

__version__ = "0.1.0"
