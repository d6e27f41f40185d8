"""scikit-learn's metric signatures and semantics over the native functions: port by one import.

Replace ``from sklearn import metrics`` (or ``from sklearn.metrics import
f1_score, ...``) with ``from ml_infra.metrics import compat`` and the calls keep
their meaning: ``(y_true, y_pred)`` first, ``labels=``, ``pos_label=``,
``average="binary"`` by default, ``zero_division="warn"`` with
:class:`~ml_infra.metrics.UndefinedMetricWarning` and scikit-learn's texts,
``normalize=``, ``target_names=``, ``output_dict=``, ``digits=``, and
scikit-learn's return types (floats, arrays, the report as a string or dict).
Where scikit-learn's rules differ from the native API they are followed here:
``average="binary"`` on more than two classes raises, a ``pos_label`` absent
from single-class data scores the ``zero_division`` value, empty input raises.

Each function maps its arguments onto the native path (validate, count,
reduce) and adds no pass over the data but the checks scikit-learn's rules
need (one comparison per array for ``average="binary"``; the classes of
``y_true`` where scikit-learn infers the positive class). Errors are this package's (subclasses of ``ValueError`` or
``TypeError`` like scikit-learn's), with this package's messages.

Example:
    >>> from ml_infra.metrics import compat
    >>> compat.f1_score([1, 1, 0, 1], [1, 0, 0, 1])  # y_true first, as scikit-learn
    0.8
    >>> compat.precision_score([0, 1, 2, 2], [0, 2, 1, 2], average="macro")
    0.5
    >>> compat.roc_auc_score(["no", "no", "yes", "yes"], [0.1, 0.4, 0.35, 0.8])
    0.75
"""

from ml_infra.metrics._compat_labels import (
    accuracy_score,
    classification_report,
    confusion_matrix,
    f1_score,
    fbeta_score,
    multilabel_confusion_matrix,
    precision_recall_fscore_support,
    precision_score,
    recall_score,
)
from ml_infra.metrics._compat_scores import (
    average_precision_score,
    brier_score_loss,
    log_loss,
    precision_recall_curve,
    roc_auc_score,
    roc_curve,
)

__all__ = [
    "accuracy_score",
    "average_precision_score",
    "brier_score_loss",
    "classification_report",
    "confusion_matrix",
    "f1_score",
    "fbeta_score",
    "log_loss",
    "multilabel_confusion_matrix",
    "precision_recall_curve",
    "precision_recall_fscore_support",
    "precision_score",
    "recall_score",
    "roc_auc_score",
    "roc_curve",
]
