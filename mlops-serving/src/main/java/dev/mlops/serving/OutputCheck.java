package dev.mlops.serving;

import io.micrometer.core.instrument.Counter;
import java.util.Arrays;
import java.util.List;

/**
 * Applies a predictor's {@link NonFinitePolicy} to what its model returned: a prediction whose scores
 * or values are not all finite is counted and then fails or is served flagged (a
 * {@link Prediction.Classification} with such scores has no label by construction). The one place
 * where every path (row, batch, async, each request of a dynamic batch) makes that decision.
 */
final class OutputCheck {
  private final NonFinitePolicy policy;
  private final String model;
  private final String version;
  private final String output;
  private final Counter nonFinite;

  OutputCheck(NonFinitePolicy policy, String model, String version, String output, Counter nonFinite) {
    this.policy = policy;
    this.model = model;
    this.version = version;
    this.output = output;
    this.nonFinite = nonFinite;
  }

  /**
   * One request's prediction, as it may be served.
   *
   * @throws NonFiniteOutputException under {@link NonFinitePolicy#FAIL} when it is not finite
   */
  Prediction row(Prediction p) {
    if (p.finite()) {
      return p;
    }
    nonFinite.increment();
    if (policy == NonFinitePolicy.FAIL) {
      throw failure(p, -1, 1, 1);
    }
    return p;
  }

  /**
   * A batch's predictions, as they may be served.
   *
   * @throws NonFiniteOutputException under {@link NonFinitePolicy#FAIL} naming the first row that is
   *     not finite and how many are not
   */
  List<Prediction> batch(List<Prediction> ps) {
    int bad = 0;
    int first = -1;
    for (int i = 0; i < ps.size(); i++) {
      if (!ps.get(i).finite()) {
        bad++;
        first = first < 0 ? i : first;
      }
    }
    if (bad == 0) {
      return ps;
    }
    nonFinite.increment(bad);
    if (policy == NonFinitePolicy.FAIL) {
      throw failure(ps.get(first), first, bad, ps.size());
    }
    return ps;
  }

  private NonFiniteOutputException failure(Prediction p, int row, int bad, int rows) {
    // Raw tensors always count as finite, so a failure is a classification's or a regression's.
    String what = (p instanceof Prediction.Classification c ? "scores on output '" + output + "' (" + c.scores()
        : "values on output '" + output + "' (" + Arrays.toString(p.asRegression().values())) + ")";
    String where = row < 0 ? "" : " for row " + row + " of the batch (" + bad + " of " + rows + " rows non-finite)";
    return new NonFiniteOutputException("Model " + model + "/" + version + " gave non-finite " + what + where
        + "; nothing was served. The input was finite, so the model itself made NaN or an infinity: check its"
        + " numerics on such inputs, or build the predictor with nonFiniteOutputs(NonFinitePolicy.FLAG) to serve"
        + " such predictions flagged, without a label", model, version, output);
  }
}
