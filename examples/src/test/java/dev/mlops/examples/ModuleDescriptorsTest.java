package dev.mlops.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.Schema;
import dev.mlops.monitoring.Monitor;
import dev.mlops.serving.Predictor;
import dev.mlops.serving.onnx.OnnxBackend;
import dev.mlops.serving.spi.ModelBackend;
import dev.mlops.serving.tribuo.TribuoBackend;
import dev.mlops.test.PredictorCompatibilityKit;
import dev.mlops.validation.Validator;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Exports;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The compiled {@code module-info} of every library artifact, read from the jar (or classes directory)
 * each one was loaded from: an {@code internal} package is exported only to named mlops modules, never
 * to everyone, and the backends are wired through the SPI. The tests run on the class path, where the
 * module system enforces nothing, so this is what keeps the descriptors honest.
 */
class ModuleDescriptorsTest {
  /** A class of each library module, in the module's root package. */
  static List<Class<?>> library() {
    return List.of(Schema.class, Validator.class, Monitor.class, Predictor.class, OnnxBackend.class,
        TribuoBackend.class, PredictorCompatibilityKit.class);
  }

  static List<Class<?>> backends() {
    return List.of(OnnxBackend.class, TribuoBackend.class);
  }

  @ParameterizedTest
  @MethodSource("library")
  void exportsInternalPackagesOnlyToMlopsModules(Class<?> marker) {
    ModuleDescriptor module = descriptorOf(marker);
    assertThat(module.isAutomatic()).as("%s has a module-info", location(marker)).isFalse();
    assertThat(module.name()).isEqualTo(marker.getPackageName());
    for (Exports e : module.exports()) {
      if (isInternal(e.source())) {
        assertThat(e.isQualified()).as("module %s exports %s to everyone; export it 'to' the mlops modules"
            + " that use it", module.name(), e.source()).isTrue();
        assertThat(e.targets()).as("module %s exports %s to", module.name(), e.source())
            .allMatch(t -> t.startsWith("dev.mlops."));
      }
    }
    Set<String> unqualified = module.exports().stream().filter(e -> !e.isQualified()).map(Exports::source)
        .collect(Collectors.toSet());
    assertThat(unqualified).as("API packages of %s", module.name()).isNotEmpty()
        .noneMatch(ModuleDescriptorsTest::isInternal);
  }

  @ParameterizedTest
  @MethodSource("backends")
  void backendsProvideTheSpiThatServingUses(Class<?> backend) {
    String spi = ModelBackend.class.getName();
    assertThat(descriptorOf(Predictor.class).uses()).contains(spi);
    assertThat(descriptorOf(backend).provides()).anySatisfy(p -> {
      assertThat(p.service()).isEqualTo(spi);
      assertThat(p.providers()).containsExactly(backend.getName());
    });
  }

  private static boolean isInternal(String pkg) {
    return pkg.endsWith(".internal") || pkg.contains(".internal.");
  }

  private static ModuleDescriptor descriptorOf(Class<?> marker) {
    Set<ModuleReference> found = ModuleFinder.of(location(marker)).findAll();
    assertThat(found).as("modules at %s", location(marker)).hasSize(1);
    return found.iterator().next().descriptor();
  }

  private static Path location(Class<?> marker) {
    try {
      return Path.of(marker.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
