package dev.mlops.core.manifest;

import static dev.mlops.core.manifest.ManifestWording.MEMBER;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.DataFormatException;
import dev.mlops.core.DatasetFingerprint;
import dev.mlops.core.Schema;
import dev.mlops.core.internal.Jcs;
import dev.mlops.core.internal.LocatedJson;
import dev.mlops.core.internal.SchemaJson;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON form of {@link ModelManifest}, format versions 1 and 2. Version 2 differs from 1 in its
 * canonical form (RFC 8785, see {@link ManifestCanonicalForm}) and, so that every number in it is one
 * that canonical JSON carries exactly, in writing a seed beyond &plusmn;(2<sup>53</sup>&minus;1) as a
 * string of decimal digits. Both read {@code codeVersion.dirty} as {@code "clean"}, {@code "dirty"} or
 * {@code "unknown"}, or as the boolean of older writers.
 */
final class ManifestJson {
  private ManifestJson() {}

  static ObjectNode toJsonNode(ModelManifest m) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("formatVersion", m.formatVersion());
    root.put("name", m.name());
    root.put("version", m.version());
    root.put("format", m.format());
    root.put("createdAt", m.createdAt().toString());
    ArrayNode artifacts = root.putArray("artifacts");
    for (Artifact a : m.artifacts()) {
      artifacts.addObject().put("path", a.path()).put("sha256", a.sha256()).put("size", a.size());
    }
    root.set("modelSignature", signature(m.modelSignature()));
    ArrayNode datasets = root.putArray("datasets");
    for (DatasetRef d : m.datasets()) {
      datasets.addObject()
          .put("name", d.name())
          .put("schemaHash", d.fingerprint().schemaHash())
          .put("rowCount", d.fingerprint().rowCount())
          .put("contentDigest", d.fingerprint().contentDigest());
    }
    ObjectNode hyper = root.putObject("hyperParameters");
    m.hyperParameters().forEach((k, v) -> hyper.set(k, HyperParameterValues.toNode(v)));
    ObjectNode seeds = root.putObject("seeds");
    m.seeds().forEach((k, v) -> {
      if (m.formatVersion() >= 2 && !Jcs.isSafeInteger(v)) {
        seeds.put(k, Long.toString(v));
      } else {
        seeds.put(k, v);
      }
    });
    ObjectNode code = root.putObject("codeVersion");
    CodeVersion cv = m.codeVersion();
    if (cv.commit() != null) {
      code.put("commit", cv.commit());
    }
    if (cv.ref() != null) {
      code.put("ref", cv.ref());
    }
    code.put("dirty", cv.dirty().name().toLowerCase(Locale.ROOT));
    root.set("environment", environment(m.environment()));
    ObjectNode metrics = root.putObject("metrics");
    m.metrics().forEach(metrics::put);
    if (m.parent() != null) {
      root.putObject("parent").put("name", m.parent().name()).put("version", m.parent().version());
    }
    ObjectNode tags = root.putObject("tags");
    m.tags().forEach(tags::put);
    JsonNode provenance = m.provenanceTree();
    if (provenance != null) {
      root.set("provenance", provenance.deepCopy());
    }
    return root;
  }

  private static ObjectNode signature(ModelSignature s) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.set("inputs", SchemaJson.toTree(s.inputs()));
    o.set("outputs", SchemaJson.toTree(s.outputs()));
    ArrayNode enc = o.putArray("encoding");
    for (FeatureEncoding slot : s.encoding()) {
      ObjectNode e = enc.addObject().put("kind", slot.kind()).put("column", slot.column());
      if (slot instanceof FeatureEncoding.Standardized st) {
        e.put("mean", st.mean()).put("scale", st.scale());
      } else if (slot instanceof FeatureEncoding.OneHot oh) {
        e.put("category", oh.category());
      }
    }
    return o;
  }

  private static ObjectNode environment(EnvironmentInfo env) {
    ObjectNode o = JsonNodeFactory.instance.objectNode()
        .put("javaVendor", env.javaVendor())
        .put("javaVersion", env.javaVersion())
        .put("osName", env.osName())
        .put("osVersion", env.osVersion())
        .put("arch", env.arch())
        .put("availableProcessors", env.availableProcessors());
    ObjectNode libs = o.putObject("libraries");
    env.libraries().forEach(libs::put);
    o.put("device", env.device());
    return o;
  }

  static ModelManifest fromJsonNode(JsonNode node, String source) {
    LocatedJson root = ManifestWording.root(node, source);
    LocatedJson versionNode = root.req("formatVersion");
    int formatVersion = root.intValue("formatVersion");
    if (formatVersion > ModelManifest.FORMAT_VERSION) {
      throw versionNode.error("manifest format version " + formatVersion + " is newer than this library supports ("
          + ModelManifest.FORMAT_VERSION + "); upgrade mlops-core to read it");
    }
    if (formatVersion < 1) {
      throw versionNode.error("manifest format version must be >= 1, got " + formatVersion);
    }
    root.only(MEMBER, "formatVersion", "name", "version", "format", "createdAt", "artifacts", "modelSignature",
        "datasets", "hyperParameters", "seeds", "codeVersion", "environment", "metrics", "parent", "tags",
        "provenance");
    String name = root.string("name", v -> ManifestPreconditions.token(v, "model name"));
    String version = root.string("version", v -> ManifestPreconditions.token(v, "model version"));
    String format = root.string("format", ManifestPreconditions::format);
    Instant createdAt = root.string("createdAt", v -> {
      try {
        return Instant.parse(v);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("expected an ISO-8601 UTC instant like 2024-06-01T12:00:00Z, got '"
            + v + "'", e);
      }
    });
    List<Artifact> artifacts = new ArrayList<>();
    for (LocatedJson a : root.elements("artifacts")) {
      a.only(MEMBER, "path", "sha256", "size");
      String path = a.string("path", v -> ManifestPreconditions.nonEmpty(v, "artifact path"));
      String sha = a.string("sha256", v -> ManifestPreconditions.sha256(v, "sha256"));
      long size = a.wholeNumber("size");
      if (size < 0) {
        throw a.req("size").error("size must be >= 0, got " + size);
      }
      artifacts.add(a.build(() -> new Artifact(path, sha, size)));
    }
    ModelSignature signature = readSignature(root.object("modelSignature"));
    List<DatasetRef> datasets = new ArrayList<>();
    for (LocatedJson d : root.elements("datasets")) {
      d.only(MEMBER, "name", "schemaHash", "rowCount", "contentDigest");
      String dsName = d.string("name", v -> ManifestPreconditions.nonEmpty(v, "dataset name"));
      String schemaHash = d.string("schemaHash");
      long rows = d.wholeNumber("rowCount");
      String content = d.string("contentDigest");
      datasets.add(d.build(() -> new DatasetRef(dsName, new DatasetFingerprint(schemaHash, rows, content))));
    }
    Map<String, Object> hyper = new LinkedHashMap<>();
    root.members("hyperParameters").forEach((k, v) -> hyper.put(k,
        v.build(() -> HyperParameterValues.fromNode(v.node(), "hyper-parameter '" + k + "'", formatVersion))));
    Map<String, Long> seeds = new LinkedHashMap<>();
    root.members("seeds").forEach((k, v) -> seeds.put(k, seed(v, formatVersion)));
    CodeVersion code = readCode(root.object("codeVersion"));
    EnvironmentInfo env = readEnvironment(root.object("environment"));
    Map<String, Double> metrics = new LinkedHashMap<>();
    root.members("metrics").forEach((k, v) -> metrics.put(k, v.asNumber()));
    LocatedJson parentNode = root.opt("parent");
    ParentModel parent = null;
    if (parentNode != null) {
      parentNode.only(MEMBER, "name", "version");
      String pn = parentNode.string("name");
      String pv = parentNode.string("version");
      parent = parentNode.build(() -> new ParentModel(pn, pv));
    }
    Map<String, String> tags = new LinkedHashMap<>();
    root.members("tags").forEach((k, v) -> tags.put(k, v.asString()));
    LocatedJson prov = root.opt("provenance");
    ParentModel p = parent;
    return root.build(() -> ModelManifest.of(formatVersion, name, version, format, createdAt, artifacts, signature,
        datasets, hyper, seeds, code, env, metrics, p, tags, prov == null ? null : prov.node()));
  }

  /** A seed: a whole number, or from version 2 a string of digits when beyond +/-(2^53 - 1). */
  private static long seed(LocatedJson v, int formatVersion) {
    if (formatVersion < 2) {
      return v.asWholeNumber();
    }
    if (v.node().isTextual()) {
      String text = v.node().textValue();
      return v.build(() -> {
        long seed;
        try {
          seed = Long.parseLong(text);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("expected a 64-bit whole number in decimal digits, got '" + text + "'",
              e);
        }
        if (Jcs.isSafeInteger(seed) || !Long.toString(seed).equals(text)) {
          throw new IllegalArgumentException("a seed within +/-" + Jcs.MAX_SAFE_INTEGER
              + " is written as a JSON number, a larger one as its plain decimal digits; got '" + text + "'");
        }
        return seed;
      });
    }
    long seed = v.asWholeNumber();
    if (!Jcs.isSafeInteger(seed)) {
      throw v.error("seed " + seed + " is beyond +/-" + Jcs.MAX_SAFE_INTEGER
          + ", which a JSON number does not carry exactly; write it as a string, \"" + seed + "\"");
    }
    return seed;
  }

  private static ModelSignature readSignature(LocatedJson s) {
    s.only(MEMBER, "inputs", "outputs", "encoding");
    Schema inputs = schema(s.object("inputs"));
    Schema outputs = schema(s.object("outputs"));
    List<FeatureEncoding> slots = new ArrayList<>();
    for (LocatedJson e : s.elements("encoding")) {
      String kind = e.string("kind");
      String column = e.string("column");
      FeatureEncoding slot = switch (kind) {
        case "numeric" -> e.only(MEMBER, "kind", "column").build(() -> FeatureEncoding.numeric(column));
        case "standardized" -> {
          e.only(MEMBER, "kind", "column", "mean", "scale");
          double mean = e.number("mean");
          double scale = e.number("scale");
          yield e.build(() -> FeatureEncoding.standardized(column, mean, scale));
        }
        case "one_hot" -> {
          e.only(MEMBER, "kind", "column", "category");
          String category = e.string("category");
          yield e.build(() -> FeatureEncoding.oneHot(column, category));
        }
        case "missing_indicator" -> e.only(MEMBER, "kind", "column")
            .build(() -> FeatureEncoding.missingIndicator(column));
        default -> throw e.req("kind").error("unknown encoding kind '" + kind
            + "'; known are numeric, standardized, one_hot, missing_indicator");
      };
      slots.add(slot);
    }
    return s.build(() -> new ModelSignature(inputs, outputs, slots));
  }

  private static Schema schema(LocatedJson s) {
    try {
      return SchemaJson.fromTree(s.node());
    } catch (DataFormatException e) {
      throw s.error(e.getMessage());
    }
  }

  private static CodeVersion readCode(LocatedJson c) {
    c.only(MEMBER, "commit", "ref", "dirty");
    String commit = c.optString("commit");
    String ref = c.optString("ref");
    LocatedJson dirtyNode = c.req("dirty");
    CodeVersion.Dirty dirty = dirtyNode.node().isBoolean()
        ? (dirtyNode.node().booleanValue() ? CodeVersion.Dirty.DIRTY : CodeVersion.Dirty.CLEAN)
        : c.string("dirty", ManifestJson::dirty);
    return c.build(() -> new CodeVersion(commit, ref, dirty));
  }

  private static CodeVersion.Dirty dirty(String v) {
    for (CodeVersion.Dirty d : CodeVersion.Dirty.values()) {
      if (d.name().toLowerCase(Locale.ROOT).equals(v)) {
        return d;
      }
    }
    throw new IllegalArgumentException("expected clean, dirty or unknown, got '" + v + "'");
  }

  private static EnvironmentInfo readEnvironment(LocatedJson e) {
    e.only(MEMBER, "javaVendor", "javaVersion", "osName", "osVersion", "arch", "availableProcessors", "libraries",
        "device");
    Map<String, String> libs = new LinkedHashMap<>();
    e.members("libraries").forEach((k, v) -> libs.put(k, v.asString()));
    String vendor = e.string("javaVendor");
    String javaVersion = e.string("javaVersion");
    String osName = e.string("osName");
    String osVersion = e.string("osVersion");
    String arch = e.string("arch");
    int processors = e.intValue("availableProcessors");
    String device = e.string("device");
    return e.build(() -> new EnvironmentInfo(vendor, javaVersion, osName, osVersion, arch, processors, libs, device));
  }
}
