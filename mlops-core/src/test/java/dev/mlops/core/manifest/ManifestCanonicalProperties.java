package dev.mlops.core.manifest;

import static dev.mlops.core.Generators.chars;
import static dev.mlops.core.Generators.lists;
import static dev.mlops.core.Generators.longs;
import static dev.mlops.core.Generators.maps;
import static dev.mlops.core.Generators.pick;
import static dev.mlops.core.Generators.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import dev.mlops.core.Generators;
import dev.mlops.core.internal.Jcs;
import dev.mlops.core.internal.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** The canonical form, and so the digest, depends on content only. */
class ManifestCanonicalProperties {

  /** Content of the maps of a manifest, with a seed that drives a second insertion order. */
  record Content(Map<String, Object> hyper, Map<String, Double> metrics, Map<String, String> tags,
      Map<String, Long> seeds, Map<String, String> libraries, long shuffleSeed) {}

  @Test
  void canonicalBytesIgnoreMapInsertionOrder() {
    qt().withFixedSeed(0x3A41_0001L).withExamples(200).forAll(contents()).checkAssert(c -> {
      ModelManifest a = build(c, new Random(0), false);
      ModelManifest b = build(c, new Random(c.shuffleSeed()), true);
      assertThat(b).isEqualTo(a);
      assertThat(b.canonicalBytes()).isEqualTo(a.canonicalBytes());
      assertThat(b.digest()).isEqualTo(a.digest());
    });
  }

  @Test
  void jsonRoundTripKeepsValueAndDigest() {
    qt().withFixedSeed(0x3A41_0002L).withExamples(200).forAll(contents()).checkAssert(c -> {
      ModelManifest m = build(c, new Random(c.shuffleSeed()), true);
      ModelManifest back = ModelManifest.fromJson(m.toJson());
      assertThat(back).isEqualTo(m);
      assertThat(back.digest()).isEqualTo(m.digest());
      assertThat(back.canonicalBytes()).isEqualTo(m.canonicalBytes());
      assertThat(ModelManifest.fromJson(new String(m.canonicalBytes(), java.nio.charset.StandardCharsets.UTF_8)))
          .isEqualTo(m);
    });
  }

  @Test
  void digestIsTheJcsOfTheWrittenDocument() {
    qt().withFixedSeed(0x3A41_0003L).withExamples(200).forAll(contents()).checkAssert(c -> {
      ModelManifest m = build(c, new Random(c.shuffleSeed()), true);
      assertThat(m.canonicalBytes()).isEqualTo(Jcs.bytes(Json.parse(m.toJson(), "written manifest")));
    });
  }

  @Test
  void version1ManifestsRoundTripUnderTheV1Rule() {
    qt().withFixedSeed(0x3A41_0004L).withExamples(100).forAll(contents()).checkAssert(c -> {
      ModelManifest m = build(c, new Random(c.shuffleSeed()), true, 1);
      ModelManifest back = ModelManifest.fromJson(m.toJson());
      assertThat(back.formatVersion()).isEqualTo(1);
      assertThat(back).isEqualTo(m);
      assertThat(back.canonicalBytes()).isEqualTo(m.canonicalBytes());
    });
  }

  private static ModelManifest build(Content c, Random random, boolean shuffled) {
    return build(c, random, shuffled, ModelManifest.FORMAT_VERSION);
  }

  private static ModelManifest build(Content c, Random random, boolean shuffled, int formatVersion) {
    EnvironmentInfo env = new EnvironmentInfo("vendor", "17", "Linux", "6", "amd64", 4,
        reorder(c.libraries(), random, shuffled), "cpu");
    ModelManifestBuilder b = ModelManifest.builder().clock(TestManifests.CLOCK)
        .name("prop").version("1").format("onnx").environment(env).formatVersion(formatVersion);
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

  static Gen<Content> contents() {
    Gen<Map<String, Object>> hyper = maps(keys(), plainValues(), 8);
    Gen<Map<String, Double>> metrics = maps(keys(), manifestDoubles(), 8);
    Gen<Map<String, String>> tags = maps(keys(), text(), 8);
    Gen<Map<String, Long>> seeds = maps(keys(), longs(), 6);
    Gen<Map<String, String>> libraries = maps(keys(), strings(textChars(), 1, 12), 4);
    Gen<Long> shuffleSeeds = longs();
    return in -> new Content(hyper.generate(in), metrics.generate(in), tags.generate(in), seeds.generate(in),
        libraries.generate(in), shuffleSeeds.generate(in));
  }

  private static Gen<String> keys() {
    return strings(textChars(), 1, 12);
  }

  /** Text with ASCII, controls, quotes, backslashes, accents and CJK: everything the escaper handles. */
  private static Gen<String> text() {
    return strings(textChars(), 0, 12);
  }

  private static Gen<Character> textChars() {
    return chars(' ', '~', '\n', '\t', '\u0001', '\u001f', '"', '\\', 'é', 'ß', '中', '\u2028');
  }

  /** Finite doubles of every magnitude and the ones whose shortest text is hard to get right. */
  private static Gen<Double> manifestDoubles() {
    return Generate.oneOf(
        Generators.doubles(-1e6, 1e6),
        Generators.doubles(-1e300, 1e300),
        pick(0.0, -0.0, 1.0, 0.1, 1e-300, Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE,
            9007199254740993.0, 1e21, 1e22, 123456789012345680000.0));
  }

  /** Hyper-parameter values: scalars of every kind, and maps and lists of them. */
  private static Gen<Object> plainValues() {
    Gen<Object> scalar = Generate.oneOf(
        manifestDoubles().map(d -> (Object) d),
        Generators.longs(-Jcs.MAX_SAFE_INTEGER, Jcs.MAX_SAFE_INTEGER).map(l -> (Object) l),
        text().map(s -> (Object) s),
        Generate.booleans().map(v -> (Object) v));
    Gen<Object> object = maps(keys(), scalar, 4).map(m -> (Object) m);
    Gen<Object> array = lists(scalar, 0, 4).map(l -> (Object) l);
    return Generate.frequency(List.of(Pair.of(6, scalar), Pair.of(1, object), Pair.of(1, array)));
  }
}
