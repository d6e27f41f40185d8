"""Classification metrics that match scikit-learn exactly."""

from ml_infra.metrics.__about__ import __version__
from ml_infra.metrics._errors import MetricsError

__all__ = ["MetricsError", "__version__"]
