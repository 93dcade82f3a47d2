package dev.mlops.consumers.tribuo;

import dev.mlops.core.Row;
import dev.mlops.serving.Prediction;
import dev.mlops.serving.Predictor;
import dev.mlops.serving.repository.ModelRef;
import dev.mlops.serving.repository.ModelRepository;
import dev.mlops.serving.repository.VerifiedModel;

/**
 * What a Tribuo-only service writes: load a verified model from a repository and score rows with it.
 * It depends on {@code mlops-serving-tribuo} alone; the backend is found on the class path.
 */
public final class RiskScorer implements AutoCloseable {
  private final Predictor predictor;

  /**
   * Loads {@code ref} (digests verified before any byte reaches Tribuo) and builds its predictor.
   *
   * @param repository the model repository
   * @param ref e.g. {@code credit-risk@champion}
   */
  public RiskScorer(ModelRepository repository, String ref) {
    VerifiedModel model = repository.load(ModelRef.parse(ref));
    this.predictor = Predictor.builder(model).build();
  }

  /**
   * Scores one row of the model's input schema.
   *
   * @param row the row
   * @return the prediction
   */
  public Prediction score(Row row) {
    return predictor.predict(row);
  }

  @Override
  public void close() {
    predictor.close();
  }
}
