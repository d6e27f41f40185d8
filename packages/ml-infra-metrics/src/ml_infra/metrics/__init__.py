"""Classification metrics that match scikit-learn exactly, and run much faster.

Every function takes **predictions first, labels (ground truth) second**: the
seed's order, the reverse of scikit-learn's ``(y_true, y_pred)``.

Example:
    >>> from ml_infra.metrics import accuracy, f1_score
    >>> accuracy([1, 0, 1, 1, 0], [1, 0, 1, 0, 0])
    0.8
    >>> f1_score(predictions=[1, 0, 1], labels=[1, 1, 1])
    0.8
"""

from ml_infra.metrics.__about__ import __version__
from ml_infra.metrics._accumulator import ConfusionMatrix
from ml_infra.metrics._classification import accuracy, f1_score, fbeta_score, precision, recall
from ml_infra.metrics._confusion import (
    ConfusionMatrixResult,
    confusion_matrix,
    multilabel_confusion_matrix,
)
from ml_infra.metrics._curves import PrecisionRecallCurve, RocCurve
from ml_infra.metrics._errors import (
    ContinuousLabelsError,
    EmptyInputError,
    InvalidInputTypeError,
    InvalidParameterError,
    InvalidScoresError,
    InvalidShapeError,
    InvalidWeightsError,
    LengthMismatchError,
    MetricsError,
    MissingLabelsError,
    MixedLabelTypesError,
    SingleClassError,
    UnknownClassError,
)
from ml_infra.metrics._histogram import ScoreHistogram
from ml_infra.metrics._intervals import ConfidenceInterval
from ml_infra.metrics._probabilistic import brier_score_loss, log_loss
from ml_infra.metrics._ranking import (
    average_precision_score,
    precision_recall_curve,
    roc_auc_score,
    roc_curve,
)
from ml_infra.metrics._report import ClassificationReport, ClassScores, classification_report
from ml_infra.metrics._warnings import UndefinedMetricWarning
from ml_infra.preprocessing import allow_host_copy

__all__ = [
    "ClassScores",
    "ClassificationReport",
    "ConfidenceInterval",
    "ConfusionMatrix",
    "ConfusionMatrixResult",
    "ContinuousLabelsError",
    "EmptyInputError",
    "InvalidInputTypeError",
    "InvalidParameterError",
    "InvalidScoresError",
    "InvalidShapeError",
    "InvalidWeightsError",
    "LengthMismatchError",
    "MetricsError",
    "MissingLabelsError",
    "MixedLabelTypesError",
    "PrecisionRecallCurve",
    "RocCurve",
    "ScoreHistogram",
    "SingleClassError",
    "UndefinedMetricWarning",
    "UnknownClassError",
    "__version__",
    "accuracy",
    "allow_host_copy",
    "average_precision_score",
    "brier_score_loss",
    "classification_report",
    "confusion_matrix",
    "f1_score",
    "fbeta_score",
    "log_loss",
    "multilabel_confusion_matrix",
    "precision",
    "precision_recall_curve",
    "recall",
    "roc_auc_score",
    "roc_curve",
]

# Public classes carry their public module: tracebacks, reprs and pickles name
# ml_infra.<sub>.X, never the private module that defines it.
for _name in __all__:
    _obj = globals()[_name]
    if isinstance(_obj, type):
        _obj.__module__ = __name__
del _name, _obj
