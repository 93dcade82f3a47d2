package dev.mlops.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The canonical form, and so the digest, depends on content only. */
class ManifestCanonicalProperties {

  /** Content of the maps of a manifest, with a seed that drives a second insertion order. */
  record Content(Map<String, JsonNode> hyper, Map<String, Double> metrics, Map<String, String> tags,
      Map<String, Long> seeds, Map<String, String> libraries, long shuffleSeed) {}

  @Property(tries = 200)
  void canonicalBytesIgnoreMapInsertionOrder(@ForAll("contents") Content c) {
    ModelManifest a = build(c, new Random(0), false);
    ModelManifest b = build(c, new Random(c.shuffleSeed()), true);
    assertThat(b).isEqualTo(a);
    assertThat(b.canonicalBytes()).isEqualTo(a.canonicalBytes());
    assertThat(b.digest()).isEqualTo(a.digest());
  }

  @Property(tries = 200)
  void jsonRoundTripKeepsValueAndDigest(@ForAll("contents") Content c) {
    ModelManifest m = build(c, new Random(c.shuffleSeed()), true);
    ModelManifest back = ModelManifest.fromJson(m.toJson());
    assertThat(back).isEqualTo(m);
    assertThat(back.digest()).isEqualTo(m.digest());
    assertThat(back.canonicalBytes()).isEqualTo(m.canonicalBytes());
    assertThat(ModelManifest.fromJson(new String(m.canonicalBytes(), java.nio.charset.StandardCharsets.UTF_8)))
        .isEqualTo(m);
  }

  private static ModelManifest build(Content c, Random random, boolean shuffled) {
    EnvironmentInfo env = new EnvironmentInfo("vendor", "17", "Linux", "6", "amd64", 4,
        reorder(c.libraries(), random, shuffled), "cpu");
    ModelManifest.Builder b = ModelManifest.builder().clock(TestManifests.CLOCK)
        .name("prop").version("1").format("onnx").environment(env);
    reorder(c.hyper(), random, shuffled).forEach(b::hyperParameter);
    reorder(c.metrics(), random, shuffled).forEach(b::metric);
    reorder(c.tags(), random, shuffled).forEach(b::tag);
    reorder(c.seeds(), random, shuffled).forEach(b::seed);
    return b.build();
  }

  private static <V> Map<String, V> reorder(Map<String, V> map, Random random, boolean shuffled) {
    List<Map.Entry<String, V>> entries = new ArrayList<>(map.entrySet());
    if (shuffled) {
      Collections.shuffle(entries, random);
    } else {
      Collections.reverse(entries);
    }
    Map<String, V> out = new LinkedHashMap<>();
    entries.forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  @Provide
  Arbitrary<Content> contents() {
    return Combinators.combine(
        Arbitraries.maps(keys(), jsonValues()).ofMaxSize(8),
        Arbitraries.maps(keys(), doubles()).ofMaxSize(8),
        Arbitraries.maps(keys(), text()).ofMaxSize(8),
        Arbitraries.maps(keys(), Arbitraries.longs()).ofMaxSize(6),
        Arbitraries.maps(keys(), text().filter(s -> !s.isEmpty())).ofMaxSize(4),
        Arbitraries.longs()).as(Content::new);
  }

  private static Arbitrary<String> keys() {
    return text().filter(s -> !s.isEmpty());
  }

  /** Text with ASCII, controls, quotes, backslashes, accents and CJK: everything the escaper handles. */
  private static Arbitrary<String> text() {
    return Arbitraries.strings()
        .withCharRange(' ', '~')
        .withChars('\n', '\t', '\u0001', '\u001f', '"', '\\', 'é', 'ß', '中', '\u2028')
        .ofMaxLength(12);
  }

  private static Arbitrary<Double> doubles() {
    return Arbitraries.oneOf(
        Arbitraries.doubles().between(-1e6, 1e6),
        Arbitraries.doubles().between(-1e300, 1e300),
        Arbitraries.of(0.0, -0.0, 1.0, 0.1, 1e-300, Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE,
            9007199254740993.0, 1e21, 1e22, 123456789012345680000.0));
  }

  private static Arbitrary<JsonNode> jsonValues() {
    Arbitrary<JsonNode> scalar = Arbitraries.oneOf(
        doubles().map(d -> (JsonNode) DoubleNode.valueOf(d)),
        Arbitraries.longs().map(l -> (JsonNode) LongNode.valueOf(l)),
        text().map(s -> (JsonNode) TextNode.valueOf(s)),
        Arbitraries.of(true, false).map(v -> (JsonNode) BooleanNode.valueOf(v)));
    Arbitrary<JsonNode> object = Arbitraries.maps(keys(), scalar).ofMaxSize(4).map(m -> {
      var o = JsonNodeFactory.instance.objectNode();
      m.forEach(o::set);
      return (JsonNode) o;
    });
    Arbitrary<JsonNode> array = scalar.list().ofMaxSize(4).map(l -> {
      var a = JsonNodeFactory.instance.arrayNode();
      l.forEach(a::add);
      return (JsonNode) a;
    });
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, scalar), net.jqwik.api.Tuple.of(1, object), net.jqwik.api.Tuple.of(1, array));
  }
}
