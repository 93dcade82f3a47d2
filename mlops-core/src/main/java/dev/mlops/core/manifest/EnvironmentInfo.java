package dev.mlops.core.manifest;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Where a model was made: JVM, operating system, CPU, the versions of the libraries that shaped it,
 * and the execution device. Every text component is non-empty; {@link #UNKNOWN} marks what could not
 * be found.
 *
 * @param javaVendor the JVM vendor ({@code java.vendor})
 * @param javaVersion the full runtime version ({@link Runtime#version()}, e.g. {@code 17.0.12+7})
 * @param osName the operating system name ({@code os.name})
 * @param osVersion the operating system version ({@code os.version})
 * @param arch the CPU architecture ({@code os.arch})
 * @param availableProcessors processors available to the JVM, at least 1
 * @param libraries library versions by {@code groupId:artifactId}, sorted
 * @param device the execution device, e.g. {@code cpu} or {@code cuda:0}
 */
public record EnvironmentInfo(String javaVendor, String javaVersion, String osName, String osVersion, String arch,
    int availableProcessors, Map<String, String> libraries, String device) {

  /** The value recorded when something could not be determined. */
  public static final String UNKNOWN = "unknown";

  /** The device of models run on the CPU. */
  public static final String CPU = "cpu";

  /**
   * Validates the components.
   *
   * @param javaVendor the JVM vendor
   * @param javaVersion the runtime version
   * @param osName the OS name
   * @param osVersion the OS version
   * @param arch the CPU architecture
   * @param availableProcessors the processor count
   * @param libraries library versions
   * @param device the execution device
   * @throws IllegalArgumentException naming the bad value
   */
  public EnvironmentInfo {
    ManifestPreconditions.nonEmpty(javaVendor, "javaVendor");
    ManifestPreconditions.nonEmpty(javaVersion, "javaVersion");
    ManifestPreconditions.nonEmpty(osName, "osName");
    ManifestPreconditions.nonEmpty(osVersion, "osVersion");
    ManifestPreconditions.nonEmpty(arch, "arch");
    ManifestPreconditions.nonEmpty(device, "device");
    if (availableProcessors < 1) {
      throw new IllegalArgumentException("availableProcessors must be >= 1, got " + availableProcessors);
    }
    libraries = ManifestPreconditions.sortedCopy(libraries, "library version", (k, v) -> ManifestPreconditions.nonEmpty(v, "version of " + k));
  }

  /**
   * The environment of this JVM, with device {@code cpu} and the versions of mlops-core, Arrow and
   * Jackson as found on the classpath.
   *
   * @return the captured environment
   */
  public static EnvironmentInfo capture() {
    Map<String, String> libs = new TreeMap<>();
    libs.put("dev.mlops:mlops-core", coreVersion());
    libs.put("org.apache.arrow:arrow-vector",
        libraryVersion("org.apache.arrow", "arrow-vector", org.apache.arrow.vector.ValueVector.class));
    libs.put("com.fasterxml.jackson.core:jackson-databind",
        libraryVersion("com.fasterxml.jackson.core", "jackson-databind",
            com.fasterxml.jackson.databind.ObjectMapper.class));
    return new EnvironmentInfo(
        property("java.vendor"),
        Runtime.version().toString(),
        property("os.name"),
        property("os.version"),
        property("os.arch"),
        Runtime.getRuntime().availableProcessors(),
        libs,
        CPU);
  }

  private static String coreVersion() {
    try (InputStream in = EnvironmentInfo.class.getResourceAsStream("/dev/mlops/core/mlops-core.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        String v = p.getProperty("version");
        if (v != null && !v.isBlank() && !v.startsWith("${")) {
          return v.trim();
        }
      }
    } catch (IOException e) {
      // an unreadable resource is as good as none; fall back to the jar metadata
    }
    return libraryVersion("dev.mlops", "mlops-core", EnvironmentInfo.class);
  }

  /**
   * The version of a library on the classpath: from its jar's {@code META-INF/maven/<groupId>/<artifactId>/pom.properties},
   * else from the {@code Implementation-Version} of the marker class's package, else {@link #UNKNOWN}
   * (classes run from a build directory carry neither).
   *
   * @param groupId the Maven group id
   * @param artifactId the Maven artifact id
   * @param marker a class of the library, whose class loader is searched
   * @return the version or {@code unknown}
   */
  public static String libraryVersion(String groupId, String artifactId, Class<?> marker) {
    String resource = "/META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
    try (InputStream in = marker.getResourceAsStream(resource)) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        String v = p.getProperty("version");
        if (v != null && !v.isBlank()) {
          return v.trim();
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      // an unreadable pom.properties is as good as none; fall through to the package manifest
    }
    Package pkg = marker.getPackage();
    String v = pkg == null ? null : pkg.getImplementationVersion();
    return v == null || v.isBlank() ? UNKNOWN : v.trim();
  }

  private static String property(String key) {
    @Nullable String v = System.getProperty(key);
    return v == null || v.isBlank() ? UNKNOWN : v;
  }

  /**
   * This environment on another execution device.
   *
   * @param newDevice e.g. {@code cuda:0}
   * @return a copy with the device replaced
   */
  public EnvironmentInfo withDevice(String newDevice) {
    return new EnvironmentInfo(javaVendor, javaVersion, osName, osVersion, arch, availableProcessors, libraries,
        newDevice);
  }

  /**
   * This environment with one more library version (ONNX Runtime, Tribuo, ...).
   *
   * @param coordinates {@code groupId:artifactId}
   * @param version the version, e.g. from {@link #libraryVersion(String, String, Class)}
   * @return a copy with the library added or replaced
   */
  public EnvironmentInfo withLibrary(String coordinates, String version) {
    Map<String, String> libs = new TreeMap<>(libraries);
    libs.put(ManifestPreconditions.nonEmpty(coordinates, "library coordinates"), ManifestPreconditions.nonEmpty(version, "library version"));
    return new EnvironmentInfo(javaVendor, javaVersion, osName, osVersion, arch, availableProcessors, libs, device);
  }
}
