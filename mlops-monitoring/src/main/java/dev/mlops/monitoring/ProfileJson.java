package dev.mlops.monitoring;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.internal.CanonicalJson;
import dev.mlops.core.internal.Json;
import dev.mlops.stats.ColumnKind;
import dev.mlops.stats.ProfileOptions;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON summary of profiles behind {@link DatasetProfile#toJson()}: row count, options, and per
 * column the statistics a person reads (not the lossless form: that is {@link DatasetProfile#toBytes()}).
 * Non-finite numbers are written as null.
 */
final class ProfileJson {
  /** Ranks of the quantiles a numeric column's summary shows. */
  private static final double[] RANKS = {0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99};
  /** Frequent items a column's summary shows at most. */
  private static final int MAX_ITEMS = 20;

  private ProfileJson() {}

  static ObjectNode dataset(DatasetProfile p) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("formatVersion", DatasetProfile.FORMAT_VERSION);
    root.put("rowCount", p.rowCount());
    ObjectNode opts = root.putObject("options");
    ProfileOptions options = p.options();
    opts.put("kllK", options.kllK());
    opts.put("hllLgK", options.hllLgK());
    opts.put("frequentItemsMaxMapSize", options.frequentItemsMaxMapSize());
    opts.put("maxTrackedValues", options.maxTrackedValues());
    ArrayNode cols = root.putArray("columns");
    for (ColumnProfile c : p.columns()) {
      cols.add(column(c));
    }
    return root;
  }

  static ObjectNode column(ColumnProfile c) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("name", c.name());
    o.put("type", c.type().toString());
    o.put("kind", c.kind().name().toLowerCase(Locale.ROOT));
    o.put("count", c.count());
    o.put("nullCount", c.nullCount());
    o.put("validCount", c.validCount());
    o.put("distinctCount", c.distinctCount());
    if (c.kind() == ColumnKind.NUMERIC) {
      o.put("nanCount", c.nanCount());
      o.put("positiveInfinityCount", c.positiveInfinityCount());
      o.put("negativeInfinityCount", c.negativeInfinityCount());
      Json.putFinite(o, "min", c.min());
      Json.putFinite(o, "max", c.max());
      Json.putFinite(o, "mean", c.mean());
      Json.putFinite(o, "stddev", c.stddev());
      ObjectNode q = o.putObject("quantiles");
      for (double r : RANKS) {
        Json.putFinite(q, CanonicalJson.formatDouble(r), c.quantile(r));
      }
      o.put("quantileRankError", c.quantileRankError());
    }
    if (c.kind() == ColumnKind.CATEGORICAL || c.hasExactCategoryCounts() && c.kind() == ColumnKind.NUMERIC) {
      ArrayNode arr = o.putArray("frequentItems");
      int shown = 0;
      for (Map.Entry<String, Long> e : c.categoryCounts().entrySet()) {
        if (shown++ == MAX_ITEMS) {
          break;
        }
        arr.addObject().put("value", e.getKey()).put("count", e.getValue());
      }
      o.put("exactCounts", c.hasExactCategoryCounts());
    }
    return o;
  }
}
