package dev.mlops.serving;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An immutable label-to-score map over the model's shared label list and one row's scores, in label
 * order: what a classification decodes into without building a hash map per request.
 */
final class ScoreMap extends AbstractMap<String, Double> {
  private final List<String> labels;
  private final Map<String, Integer> index;
  private final double[] scores;

  ScoreMap(List<String> labels, Map<String, Integer> index, double[] scores) {
    this.labels = labels;
    this.index = index;
    this.scores = scores;
  }

  /** Whether every score is finite. */
  boolean allFinite() {
    for (double v : scores) {
      if (!Double.isFinite(v)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int size() {
    return scores.length;
  }

  @Override
  public boolean containsKey(@Nullable Object key) {
    return index.containsKey(key);
  }

  @Override
  public @Nullable Double get(@Nullable Object key) {
    Integer i = index.get(key);
    return i == null ? null : scores[i];
  }

  @Override
  public Set<Entry<String, Double>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return scores.length;
      }

      @Override
      public Iterator<Entry<String, Double>> iterator() {
        return new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < scores.length;
          }

          @Override
          public Entry<String, Double> next() {
            if (next >= scores.length) {
              throw new NoSuchElementException();
            }
            int i = next++;
            return new SimpleImmutableEntry<>(labels.get(i), scores[i]);
          }
        };
      }
    };
  }
}
