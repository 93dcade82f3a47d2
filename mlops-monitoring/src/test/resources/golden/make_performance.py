"""Golden model-quality metrics for PerformanceMetricsTest, from scikit-learn (Debian's
python3-sklearn; run with /usr/bin/python3):

    /usr/bin/python3 make_performance.py > performance.json

Binary and 3-class classification with probabilities, and regression, on seeded random data.
ECE is computed from sklearn's calibration_curve bins (uniform, 10 bins) as
sum(count_b / n * |prob_true_b - prob_pred_b|).
"""
import json
import numpy as np
import sklearn
from sklearn import metrics
from sklearn.calibration import calibration_curve

rng = np.random.default_rng(20261201)
out = {"sklearn": sklearn.__version__}

def classification(classes, n, noise):
    k = len(classes)
    actual = rng.integers(0, k, n)
    logits = rng.normal(0, noise, (n, k))
    logits[np.arange(n), actual] += 1.5
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    p = np.round(p, 6)
    p = p / p.sum(axis=1, keepdims=True)
    predicted = p.argmax(axis=1)
    labels = list(range(k))
    prec, rec, f1, _ = metrics.precision_recall_fscore_support(actual, predicted, labels=labels, zero_division=0)
    case = {"classes": classes, "actual": actual.tolist(), "probabilities": p.tolist(),
            "accuracy": metrics.accuracy_score(actual, predicted),
            "precision": prec.tolist(), "recall": rec.tolist(), "f1": f1.tolist(),
            "macroF1": metrics.f1_score(actual, predicted, average="macro", zero_division=0),
            "logLoss": metrics.log_loss(actual, p, labels=labels)}
    if k == 2:
        case["rocAuc"] = metrics.roc_auc_score(actual, p[:, 1])
        case["brier"] = metrics.brier_score_loss(actual, p[:, 1])
        prob_true, prob_pred = calibration_curve(actual, p[:, 1], n_bins=10, strategy="uniform")
        bins = np.linspace(0, 1, 11)
        ids = np.searchsorted(bins[1:-1], p[:, 1])
        counts = np.bincount(ids, minlength=10)
        counts = counts[counts > 0]
        case["reliabilityTrue"] = prob_true.tolist()
        case["reliabilityPredicted"] = prob_pred.tolist()
        case["reliabilityCounts"] = counts.tolist()
        case["ece"] = float(np.sum(counts / n * np.abs(prob_true - prob_pred)))
    else:
        case["rocAuc"] = metrics.roc_auc_score(actual, p, multi_class="ovr", average="macro")
    return case

out["binary"] = classification(["no", "yes"], 400, 1.2)
out["multiclass"] = classification(["a", "b", "c"], 300, 1.0)
y = rng.normal(100, 20, 250)
yhat = y + rng.normal(0, 5, 250)
y[0] = 0.0  # MAPE's epsilon guard
out["regression"] = {"actual": y.tolist(), "predicted": yhat.tolist(),
                     "mae": metrics.mean_absolute_error(y, yhat),
                     "rmse": float(np.sqrt(metrics.mean_squared_error(y, yhat))),
                     "mape": metrics.mean_absolute_percentage_error(y, yhat),
                     "r2": metrics.r2_score(y, yhat)}
print(json.dumps(out))
