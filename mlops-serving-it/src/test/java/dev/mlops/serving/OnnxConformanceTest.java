package dev.mlops.serving;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.jspecify.annotations.Nullable;
import dev.mlops.serving.onnx.OnnxOptions;
import dev.mlops.serving.onnx.internal.OnnxRunner;

/**
 * ONNX's own node conformance tests (Debian's libonnx-testdata): every model that plain ONNX Runtime
 * runs correctly must give the same outputs through the predictor's raw-tensor path, within the
 * suite's tolerances (rtol 1e-3, atol 1e-7).
 */
class OnnxConformanceTest {
  static final Path NODE_TESTS = Path.of("/usr/share/libonnx-testdata/data/node");
  private static final double RTOL = 1e-3;
  private static final double ATOL = 1e-7;
  /** Larger tensors are skipped to keep the suite within the test JVM's heap. */
  private static final long MAX_ELEMENTS = 4_000_000;
  private static final boolean DEBUG = System.getenv("CONFORMANCE_DEBUG") != null;

  @Test
  void predictorRawPathMatchesPlainOnnxRuntimeOnTheNodeSuite() throws IOException {
    Assumptions.assumeTrue(Files.isDirectory(NODE_TESTS), "libonnx-testdata is not installed ("
        + NODE_TESTS + " is absent); install the Debian package libonnx-testdata to run the ONNX conformance suite");
    List<Path> dirs;
    try (Stream<Path> s = Files.list(NODE_TESTS)) {
      dirs = s.filter(d -> Files.isRegularFile(d.resolve("model.onnx"))).sorted().toList();
    }
    Map<String, Integer> counts = new TreeMap<>();
    List<String> failures = new ArrayList<>();
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    for (Path dir : dirs) {
      String outcome = check(env, dir, failures);
      counts.merge(outcome, 1, Integer::sum);
    }
    System.out.println("ONNX node conformance over " + dirs.size() + " models: " + counts);
    assertThat(failures).as("models plain ONNX Runtime runs correctly but the predictor does not").isEmpty();
    assertThat(counts.getOrDefault("passed", 0)).isGreaterThan(300);
  }

  private static String check(OrtEnvironment env, Path dir, List<String> failures) {
    byte[] model;
    List<OnnxMl.TensorProto> inputs = new ArrayList<>();
    List<OnnxMl.TensorProto> outputs = new ArrayList<>();
    try {
      model = Files.readAllBytes(dir.resolve("model.onnx"));
      Path data = dir.resolve("test_data_set_0");
      for (int i = 0; Files.exists(data.resolve("input_" + i + ".pb")); i++) {
        inputs.add(OnnxMl.TensorProto.parseFrom(Files.readAllBytes(data.resolve("input_" + i + ".pb"))));
      }
      for (int i = 0; Files.exists(data.resolve("output_" + i + ".pb")); i++) {
        outputs.add(OnnxMl.TensorProto.parseFrom(Files.readAllBytes(data.resolve("output_" + i + ".pb"))));
      }
    } catch (IOException e) {
      return "skipped: inputs are not plain tensors";
    }
    List<RawTensor> rawInputs = new ArrayList<>();
    List<double[]> expected = new ArrayList<>();
    try {
      OnnxMl.ModelProto proto = OnnxMl.ModelProto.parseFrom(model);
      List<String> inputNames = proto.getGraph().getInputList().stream().map(OnnxMl.ValueInfoProto::getName)
          .filter(n -> proto.getGraph().getInitializerList().stream().noneMatch(t -> t.getName().equals(n))).toList();
      if (inputNames.size() != inputs.size()) {
        return "skipped: optional or missing inputs";
      }
      for (int i = 0; i < inputs.size(); i++) {
        RawTensor t = toRaw(inputNames.get(i), inputs.get(i));
        if (t == null) {
          return "skipped: element type outside the raw path, or too large";
        }
        rawInputs.add(t);
      }
      for (OnnxMl.TensorProto o : outputs) {
        RawTensor t = toRaw(o.getName(), o);
        if (t == null) {
          return "skipped: element type outside the raw path, or too large";
        }
        expected.add(t.values());
      }
    } catch (IOException | IndexOutOfBoundsException e) {
      return "skipped: tensor data not in plain fields";
    }
    // Plain ONNX Runtime first: only models it runs correctly are eligible.
    try (OrtSession.SessionOptions quiet = new OrtSession.SessionOptions()) {
      quiet.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
      return checkPlainThenPredictor(env, dir, model, quiet, rawInputs, expected, failures);
    } catch (OrtException e) {
      return "skipped: plain ONNX Runtime cannot run it";
    }
  }

  private static String checkPlainThenPredictor(OrtEnvironment env, Path dir, byte[] model,
      OrtSession.SessionOptions quiet, List<RawTensor> rawInputs, List<double[]> expected, List<String> failures) {
    try (OrtSession session = env.createSession(model, quiet)) {
      Map<String, OnnxTensor> feed = new LinkedHashMap<>();
      try {
        for (RawTensor t : rawInputs) {
          feed.put(t.name(), plainTensor(env, t));
        }
        try (OrtSession.Result r = session.run(feed)) {
          if (r.size() != expected.size()) {
            return "skipped: plain ONNX Runtime output count differs";
          }
          for (int i = 0; i < expected.size(); i++) {
            OnnxValue v = r.get(i);
            if (!(v instanceof OnnxTensor ot) || !close(plainValues(ot), expected.get(i))) {
              return "skipped: plain ONNX Runtime is not correct";
            }
          }
        }
      } finally {
        feed.values().forEach(OnnxTensor::close);
      }
    } catch (OrtException | RuntimeException e) {
      if (DEBUG) {
        System.out.println(dir.getFileName() + ": " + e);
      }
      return "skipped: plain ONNX Runtime cannot run it";
    }
    String name = dir.getFileName().toString();
    try (OnnxRunner runner = OnnxRunner.forRawTensors(model, name, "1", OnnxOptions.defaults())) {
      List<RawTensor> got = runner.runRaw(rawInputs);
      for (int i = 0; i < expected.size(); i++) {
        if (!close(got.get(i).values(), expected.get(i))) {
          failures.add(name + ": output " + i + " differs");
          return "failed";
        }
      }
      return "passed";
    } catch (RuntimeException e) {
      failures.add(name + ": " + e.getMessage());
      return "failed";
    }
  }

  private static boolean close(double[] actual, double[] expected) {
    if (actual.length != expected.length) {
      return false;
    }
    for (int i = 0; i < actual.length; i++) {
      double a = actual[i];
      double e = expected[i];
      if (Double.isNaN(a) && Double.isNaN(e) || a == e) {
        continue;
      }
      if (!(Math.abs(a - e) <= ATOL + RTOL * Math.abs(e))) {
        return false;
      }
    }
    return true;
  }

  private static @Nullable RawTensor toRaw(String name, OnnxMl.TensorProto t) {
    long n = 1;
    long[] shape = new long[t.getDimsCount()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = t.getDims(i);
      n *= shape[i];
    }
    if (n > MAX_ELEMENTS) {
      return null;
    }
    double[] v = new double[(int) n];
    ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    boolean hasRaw = t.hasRawData();
    String type;
    switch (t.getDataType()) {
      case 1 -> {
        type = "float";
        for (int i = 0; i < n; i++) {
          v[i] = hasRaw ? raw.getFloat(i * 4) : t.getFloatData(i);
        }
      }
      case 11 -> {
        type = "double";
        for (int i = 0; i < n; i++) {
          v[i] = hasRaw ? raw.getDouble(i * 8) : t.getDoubleData(i);
        }
      }
      case 7 -> {
        type = "int64";
        for (int i = 0; i < n; i++) {
          long x = hasRaw ? raw.getLong(i * 8) : t.getInt64Data(i);
          if (Math.abs(x) > (1L << 53)) {
            return null;
          }
          v[i] = x;
        }
      }
      case 6 -> {
        type = "int32";
        for (int i = 0; i < n; i++) {
          v[i] = hasRaw ? raw.getInt(i * 4) : t.getInt32Data(i);
        }
      }
      case 5 -> {
        type = "int16";
        for (int i = 0; i < n; i++) {
          v[i] = hasRaw ? raw.getShort(i * 2) : (short) t.getInt32Data(i);
        }
      }
      case 3 -> {
        type = "int8";
        for (int i = 0; i < n; i++) {
          v[i] = hasRaw ? raw.get(i) : (byte) t.getInt32Data(i);
        }
      }
      case 2 -> {
        type = "uint8";
        for (int i = 0; i < n; i++) {
          v[i] = hasRaw ? raw.get(i) & 0xff : t.getInt32Data(i) & 0xff;
        }
      }
      case 9 -> {
        type = "bool";
        for (int i = 0; i < n; i++) {
          v[i] = (hasRaw ? raw.get(i) : t.getInt32Data(i)) != 0 ? 1 : 0;
        }
      }
      default -> {
        return null;
      }
    }
    return RawTensor.of(name, type, shape, v);
  }

  /** Plain ORT tensors built directly from typed arrays, independent of the predictor's encoding. */
  private static OnnxTensor plainTensor(OrtEnvironment env, RawTensor t) throws OrtException {
    double[] v = t.values();
    long[] shape = t.shape();
    ByteBuffer b;
    OnnxJavaType type;
    switch (t.elementType()) {
      case "float" -> {
        b = ByteBuffer.allocateDirect(v.length * 4).order(ByteOrder.nativeOrder());
        for (double d : v) {
          b.putFloat((float) d);
        }
        type = OnnxJavaType.FLOAT;
      }
      case "double" -> {
        b = ByteBuffer.allocateDirect(v.length * 8).order(ByteOrder.nativeOrder());
        for (double d : v) {
          b.putDouble(d);
        }
        type = OnnxJavaType.DOUBLE;
      }
      case "int64" -> {
        b = ByteBuffer.allocateDirect(v.length * 8).order(ByteOrder.nativeOrder());
        for (double d : v) {
          b.putLong((long) d);
        }
        type = OnnxJavaType.INT64;
      }
      case "int32" -> {
        b = ByteBuffer.allocateDirect(v.length * 4).order(ByteOrder.nativeOrder());
        for (double d : v) {
          b.putInt((int) d);
        }
        type = OnnxJavaType.INT32;
      }
      case "int16" -> {
        b = ByteBuffer.allocateDirect(v.length * 2).order(ByteOrder.nativeOrder());
        for (double d : v) {
          b.putShort((short) d);
        }
        type = OnnxJavaType.INT16;
      }
      default -> {
        b = ByteBuffer.allocateDirect(Math.max(1, v.length));
        for (double d : v) {
          b.put((byte) (int) d);
        }
        type = switch (t.elementType()) {
          case "int8" -> OnnxJavaType.INT8;
          case "uint8" -> OnnxJavaType.UINT8;
          default -> OnnxJavaType.BOOL;
        };
      }
    }
    b.flip();
    return OnnxTensor.createTensor(env, b, shape, type);
  }

  private static double[] plainValues(OnnxTensor t) {
    ByteBuffer b = t.getByteBuffer().order(ByteOrder.nativeOrder());
    OnnxJavaType type = t.getInfo().type;
    int n = (int) t.getInfo().getNumElements();
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = switch (type) {
        case FLOAT -> b.getFloat(i * 4);
        case DOUBLE -> b.getDouble(i * 8);
        case INT64 -> b.getLong(i * 8);
        case INT32 -> b.getInt(i * 4);
        case INT16 -> b.getShort(i * 2);
        case INT8 -> b.get(i);
        case UINT8, BOOL -> b.get(i) & 0xff;
        default -> throw new UncheckedIOException(new IOException("unsupported output type " + type));
      };
    }
    return out;
  }
}
