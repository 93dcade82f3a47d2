package dev.mlops.serving.onnx.internal;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import dev.mlops.core.Batch;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.ModelLoadException;
import dev.mlops.core.MlopsException;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.core.SchemaMismatchException;
import dev.mlops.core.manifest.FeatureEncoding;
import dev.mlops.serving.Device;
import dev.mlops.serving.OutputSpec;
import dev.mlops.serving.Prediction;
import dev.mlops.serving.RawTensor;
import dev.mlops.serving.onnx.FallbackPolicy;
import dev.mlops.serving.onnx.OnnxOptions;
import dev.mlops.serving.spi.ModelRunner;
import dev.mlops.serving.spi.RowEncoder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ONNX Runtime session behind the {@link ModelRunner} contract. Tabular models take one float input
 * {@code [batch, width]} filled by a feature encoder from a reused direct buffer; tensor models take
 * one float input per float-tensor column of the input schema, named like the column. Every
 * {@link OnnxTensor} and {@link OrtSession.Result} is closed before a call returns.
 */
public final class OnnxRunner implements ModelRunner {
  private static final Logger LOG = LoggerFactory.getLogger(OnnxRunner.class);

  private final String source;
  private final String version;
  private final OrtEnvironment env;
  private final OrtSession.SessionOptions sessionOptions;
  private final OrtSession session;
  private final Device device;
  private final boolean fellBack;
  private final Schema inputSchema;
  private final @Nullable RowEncoder encoder;
  private final @Nullable String tabularInput;
  private final OutputSpec outputs;
  private final List<String> outputNames;
  private final java.util.Set<String> outputNameSet;
  private final boolean allOutputs;
  /** The model's fixed batch dimension (1), or 0 when it takes any number of rows. */
  private final int staticBatch;
  private final ThreadLocal<FloatBuffer[]> buffers = ThreadLocal.withInitial(() -> new FloatBuffer[1]);
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * Loads a session from verified bytes.
   *
   * @param modelBytes the ONNX model, already verified against its manifest
   * @param source model name and version, for messages
   * @param version the version, stamped on predictions
   * @param inputSchema the rows' schema
   * @param encoding the feature encoding for tabular models, or null or empty for tensor models
   * @param outputs how to decode outputs
   * @param options session options
   */
  public OnnxRunner(byte[] modelBytes, String source, String version, Schema inputSchema, @Nullable List<FeatureEncoding> encoding,
      OutputSpec outputs, OnnxOptions options) {
    this(modelBytes, source, version, inputSchema, encoding, outputs, options, false);
  }

  /**
   * A session for generic models fed only through {@link #runRaw(List)}: inputs of any supported
   * element type and shape, every output returned raw. Inputs are not checked at load and there is no
   * warm-up, since nothing says what a valid input is.
   *
   * @param modelBytes the ONNX model, already verified
   * @param source model name and version, for messages
   * @param version the version
   * @param options session options
   * @return the runner
   */
  public static OnnxRunner forRawTensors(byte[] modelBytes, String source, String version, OnnxOptions options) {
    return new OnnxRunner(modelBytes, source, version, Schema.of(List.of()), null, OutputSpec.raw(), options, true);
  }

  private OnnxRunner(byte[] modelBytes, String source, String version, Schema inputSchema,
      @Nullable List<FeatureEncoding> encoding, OutputSpec outputs, OnnxOptions options, boolean rawOnly) {
    this.source = source;
    this.version = version;
    this.env = OrtEnvironment.getEnvironment();
    this.inputSchema = inputSchema;
    this.outputs = outputs;
    this.encoder = encoding == null || encoding.isEmpty() ? null : new RowEncoder(inputSchema, encoding, source);
    refuseExternalData(modelBytes, source);
    OrtSession.SessionOptions so = new OrtSession.SessionOptions();
    OrtSession s = null;
    try {
      Device used = configure(so, options);
      this.device = used;
      this.fellBack = !used.equals(options.device());
      s = env.createSession(modelBytes, so);
      this.session = s;
      this.sessionOptions = so;
      int[] batchDim = {0};
      this.tabularInput = rawOnly ? null : checkInputs(batchDim);
      this.staticBatch = batchDim[0];
      this.outputNames = checkOutputs();
      this.outputNameSet = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(outputNames));
      this.allOutputs = outputNameSet.equals(session.getOutputNames());
      if (options.warmUp() && !rawOnly) {
        warmUp();
      }
    } catch (OrtException e) {
      closeQuietly(s, so);
      throw new ModelLoadException("ONNX Runtime rejected model " + source + ": " + e.getMessage()
          + "; check that the artifact is a valid ONNX model for ONNX Runtime " + runtimeVersion(), e);
    } catch (RuntimeException e) {
      closeQuietly(s, so);
      throw e;
    }
  }

  private static void refuseExternalData(byte[] modelBytes, String source) {
    List<OnnxExternalData.Reference> refs = OnnxExternalData.references(modelBytes).orElse(List.of());
    if (refs.isEmpty()) {
      return;
    }
    StringBuilder which = new StringBuilder();
    for (OnnxExternalData.Reference r : refs.subList(0, Math.min(refs.size(), 5))) {
      which.append(which.length() == 0 ? "" : ", ").append("'").append(r.tensor()).append("' in ")
          .append(r.location().isEmpty() ? "an unnamed file" : "'" + r.location() + "'");
    }
    if (refs.size() > 5) {
      which.append(" and ").append(refs.size() - 5).append(" more");
    }
    throw new ModelLoadException("Model " + source + " keeps " + (refs.size() == 1 ? "tensor " : refs.size()
        + " tensors ") + which + " outside the model file (ONNX external data), and the external file is not part of"
        + " the verified model: serving reads a model only from its verified bytes. Re-export it with the weights"
        + " inside the model file (onnx.save_model(model, path, save_as_external_data=False); models up to 2 GB)");
  }

  public static String runtimeVersion() {
    return OrtEnvironment.getEnvironment().getVersion();
  }

  /** Whether the requested device was replaced by the CPU. */
  @Override
  public boolean fellBack() {
    return fellBack;
  }

  private Device configure(OrtSession.SessionOptions so, OnnxOptions options) throws OrtException {
    so.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
    if (options.intraOpThreads() > 0) {
      so.setIntraOpNumThreads(options.intraOpThreads());
    }
    if (options.interOpThreads() > 0) {
      so.setInterOpNumThreads(options.interOpThreads());
    }
    so.setOptimizationLevel(switch (options.optimization()) {
      case NONE -> OrtSession.SessionOptions.OptLevel.NO_OPT;
      case BASIC -> OrtSession.SessionOptions.OptLevel.BASIC_OPT;
      case EXTENDED -> OrtSession.SessionOptions.OptLevel.EXTENDED_OPT;
      case ALL -> OrtSession.SessionOptions.OptLevel.ALL_OPT;
    });
    Device requested = options.device();
    if (requested.kind() == Device.Kind.CPU) {
      return requested;
    }
    EnumSet<OrtProvider> providers = OrtEnvironment.getAvailableProviders();
    String problem;
    if (!providers.contains(OrtProvider.CUDA)) {
      problem = "the CUDA execution provider is not in this ONNX Runtime build (available providers: " + providers
          + "); put com.microsoft.onnxruntime:onnxruntime_gpu on the class path instead of onnxruntime (the -Pgpu"
          + " profile) on a machine with an NVIDIA GPU and CUDA";
    } else {
      try {
        so.addCUDA(requested.id());
        return requested;
      } catch (OrtException e) {
        problem = "the CUDA execution provider failed to start on GPU " + requested.id() + ": " + e.getMessage()
            + "; check the GPU index, the driver and the CUDA/cuDNN libraries";
      }
    }
    if (options.fallback() == FallbackPolicy.FAIL) {
      throw new ModelLoadException("Cannot load model " + source + " on " + requested + ": " + problem
          + ", or choose FallbackPolicy.FALLBACK_TO_CPU");
    }
    LOG.warn("Model {} requested {} but runs on the CPU: {}", source, requested, problem);
    return Device.cpu();
  }

  /**
   * Records an input's batch dimension in {@code seen}: 0 when dynamic; 1 when fixed at one row, which
   * the runner serves by running rows one at a time. Any other fixed size is refused, since requests
   * carry any number of rows (Triton likewise refuses to batch a model whose first dimension is not
   * variable).
   */
  private void batchDimension(String input, TensorInfo t, int[] seen) {
    long[] shape = t.getShape();
    long d = shape.length == 0 ? 0 : Math.max(shape[0], 0);
    if (d > 1) {
      throw new ModelLoadException("Model " + source + " input '" + input + "' is " + describe(t) + ", fixed at " + d
          + " rows per call, but requests carry any number of rows (one for predict(row), up to maxBatchSize when"
          + " batching, any for predict(batch)); re-export the model with a dynamic first dimension ('batch' or"
          + " -1), or with a batch of 1");
    }
    seen[0] = Math.max(seen[0], (int) d);
  }

  private @Nullable String checkInputs(int[] batchDim) throws OrtException {
    Map<String, NodeInfo> info = session.getInputInfo();
    if (encoder != null) {
      if (info.size() != 1) {
        throw new ModelLoadException("Model " + source + " has inputs " + info.keySet() + " but its signature has a"
            + " feature encoding, which feeds exactly one float input [batch, " + encoder.width()
            + "]; fix the manifest signature or the model");
      }
      Map.Entry<String, NodeInfo> e = info.entrySet().iterator().next();
      TensorInfo t = tensorInfo(e.getKey(), e.getValue(), "input");
      long[] shape = t.getShape();
      if (t.type != OnnxJavaType.FLOAT || shape.length != 2 || (shape[1] > 0 && shape[1] != encoder.width())) {
        throw new ModelLoadException("Model " + source + " input '" + e.getKey() + "' is " + describe(t)
            + " but the manifest's feature encoding makes float[batch, " + encoder.width()
            + "]; retrain or re-export so the encoding and the model agree");
      }
      batchDimension(e.getKey(), t, batchDim);
      return e.getKey();
    }
    for (Field f : inputSchema.fields()) {
      NodeInfo n = info.get(f.name());
      if (n == null) {
        throw new ModelLoadException("Model " + source + " has no input '" + f.name() + "' (inputs: " + info.keySet()
            + "); name the signature's input columns like the model inputs");
      }
      TensorInfo t = tensorInfo(f.name(), n, "input");
      if (f.type().kind() != DataType.Kind.FLOAT_TENSOR || t.type != OnnxJavaType.FLOAT
          || !shapeFits(t.getShape(), f.type().shape())) {
        throw new ModelLoadException("Model " + source + " input '" + f.name() + "' is " + describe(t)
            + " but the signature declares " + f.type() + " per row (the model needs float[batch, ...shape])"
            + "; fix the manifest signature");
      }
      batchDimension(f.name(), t, batchDim);
    }
    if (info.size() != inputSchema.size()) {
      throw new ModelLoadException("Model " + source + " has inputs " + info.keySet() + " but the signature declares "
          + inputSchema.names() + "; declare every model input");
    }
    return null;
  }

  private List<String> checkOutputs() throws OrtException {
    Map<String, NodeInfo> info = session.getOutputInfo();
    if (outputs.kind() == Prediction.Kind.RAW) {
      for (Map.Entry<String, NodeInfo> e : info.entrySet()) {
        tensorInfo(e.getKey(), e.getValue(), "output");
      }
      return List.copyOf(info.keySet());
    }
    NodeInfo n = info.get(outputs.output());
    if (n == null) {
      throw new ModelLoadException("Model " + source + " has no output '" + outputs.output() + "' (outputs: "
          + info.keySet() + "); fix the output name in the manifest");
    }
    TensorInfo t = tensorInfo(outputs.output(), n, "output");
    long[] shape = t.getShape();
    boolean numeric = t.type == OnnxJavaType.FLOAT || t.type == OnnxJavaType.DOUBLE;
    if (outputs.kind() == Prediction.Kind.CLASSIFICATION) {
      int k = outputs.labels().size();
      if (!numeric || shape.length != 2 || (shape[1] > 0 && shape[1] != k)) {
        throw new ModelLoadException("Model " + source + " output '" + outputs.output() + "' is " + describe(t)
            + " but the manifest lists " + k + " labels " + outputs.labels() + ", which needs float[batch, " + k
            + "]; fix the labels or the output name");
      }
    } else if (!numeric || shape.length < 1 || shape.length > 2) {
      throw new ModelLoadException("Model " + source + " output '" + outputs.output() + "' is " + describe(t)
          + "; a regression output must be float or double [batch] or [batch, targets]");
    }
    return List.of(outputs.output());
  }

  private TensorInfo tensorInfo(String name, NodeInfo n, String what) {
    ValueInfo v = n.getInfo();
    if (!(v instanceof TensorInfo t)) {
      throw new ModelLoadException("Model " + source + " " + what + " '" + name + "' is " + v
          + ", not a tensor; only tensor inputs and outputs are served (export without ZipMap or sequences)");
    }
    return t;
  }

  private static boolean shapeFits(long[] model, List<Integer> perRow) {
    if (model.length != perRow.size() + 1) {
      return false;
    }
    for (int i = 0; i < perRow.size(); i++) {
      if (model[i + 1] > 0 && model[i + 1] != perRow.get(i)) {
        return false;
      }
    }
    return true;
  }

  private static String describe(TensorInfo t) {
    return t.type.name().toLowerCase(Locale.ROOT) + Arrays.toString(t.getShape());
  }

  private void warmUp() {
    List<Row> rows = List.of(zeroRow());
    run(rows);
  }

  private Row zeroRow() {
    Object[] values = new Object[inputSchema.size()];
    for (int i = 0; i < values.length; i++) {
      Field f = inputSchema.field(i);
      values[i] = switch (f.type().kind()) {
        case BOOLEAN -> Boolean.FALSE;
        case INT64 -> 0L;
        case FLOAT32 -> 0f;
        case FLOAT64 -> 0d;
        case STRING -> "";
        case TIMESTAMP -> java.time.Instant.EPOCH;
        case FLOAT_TENSOR -> new float[f.type().elementCount()];
      };
    }
    return Row.of(inputSchema, values);
  }

  @Override
  public Schema inputSchema() {
    return inputSchema;
  }

  @Override
  public int staticBatchSize() {
    return staticBatch;
  }

  @Override
  public String outputName() {
    return outputs.kind() == Prediction.Kind.RAW ? "raw" : outputs.output();
  }

  @Override
  public void check(Row row) {
    check(row, -1);
  }

  private void check(Row row, int index) {
    if (encoder != null) {
      encoder.check(row, index);
      return;
    }
    for (int c = 0; c < inputSchema.size(); c++) {
      checkTensor(inputSchema.field(c), row.getTensor(c), index);
    }
  }

  /** A tensor input must be present and finite: the NaN rule of tabular features, element by element. */
  private void checkTensor(Field f, float @Nullable [] t, int row) {
    String where = (row < 0 ? "Input '" : "Row " + row + " of the batch: input '") + f.name() + "' of model " + source;
    if (t == null) {
      throw new SchemaMismatchException(where + " is missing (null); tensor inputs cannot be null, send the tensor");
    }
    for (int i = 0; i < t.length; i++) {
      if (!Float.isFinite(t[i])) {
        throw new SchemaMismatchException(where + " holds " + t[i] + " at element " + i + ", which the model cannot"
            + " score; send finite values, or impute them before predicting");
      }
    }
  }

  @Override
  public Device device() {
    return device;
  }

  private FloatBuffer buffer(int floats) {
    FloatBuffer[] holder = buffers.get();
    FloatBuffer b = holder[0];
    if (b == null || b.capacity() < floats) {
      b = ByteBuffer.allocateDirect(Math.max(floats, 64) * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
      holder[0] = b;
    }
    b.clear();
    return b;
  }

  @Override
  public List<Prediction> run(List<Row> rows) {
    return run(rows, false);
  }

  private List<Prediction> run(List<Row> rows, boolean ofBatch) {
    int n = rows.size();
    if (n == 0) {
      return List.of();
    }
    if (staticBatch == 1 && n > 1) {
      for (int i = 0; ofBatch && i < n; i++) {
        check(rows.get(i), i);
      }
      List<Prediction> out = new ArrayList<>(n);
      for (Row r : rows) {
        out.addAll(run(List.of(r), false));
      }
      return out;
    }
    if (encoder != null) {
      FloatBuffer b = buffer(n * encoder.width());
      for (Row r : rows) {
        encoder.encode(r, b);
      }
      b.flip();
      return runEncoded(b, n);
    }
    Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
    try {
      for (int c = 0; c < inputSchema.size(); c++) {
        Field f = inputSchema.field(c);
        int size = f.type().elementCount();
        FloatBuffer b = ByteBuffer.allocateDirect(n * size * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (int i = 0; i < n; i++) {
          float[] t = rows.get(i).getTensor(c);
          checkTensor(f, t, ofBatch ? i : -1);
          b.put(t);
        }
        b.flip();
        inputs.put(f.name(), OnnxTensor.createTensor(env, b, batchShape(n, f.type().shape())));
      }
      return runTensors(inputs, n);
    } catch (OrtException e) {
      throw runFailure(e);
    } finally {
      inputs.values().forEach(OnnxTensor::close);
    }
  }

  private static long[] batchShape(int n, List<Integer> perRow) {
    long[] s = new long[perRow.size() + 1];
    s[0] = n;
    for (int i = 0; i < perRow.size(); i++) {
      s[i + 1] = perRow.get(i);
    }
    return s;
  }

  @Override
  public List<Prediction> run(Batch batch) {
    int n = batch.rowCount();
    if (n == 0) {
      return List.of();
    }
    if (encoder != null && (staticBatch != 1 || n == 1)) {
      FloatBuffer b = buffer(n * encoder.width());
      encoder.encode(batch, b);
      b.flip();
      return runEncoded(b, n);
    }
    return run(batch.toRows(), true);
  }

  private List<Prediction> runEncoded(FloatBuffer b, int n) {
    try (OnnxTensor t = OnnxTensor.createTensor(env, b, new long[] {n, encoder.width()})) {
      return runTensors(Map.of(tabularInput, t), n);
    } catch (OrtException e) {
      throw runFailure(e);
    }
  }

  private List<Prediction> runTensors(Map<String, OnnxTensor> inputs, int n) throws OrtException {
    try (OrtSession.Result result = allOutputs ? session.run(inputs) : session.run(inputs, outputNameSet)) {
      return decode(result, n);
    }
  }

  private MlopsException runFailure(OrtException e) {
    return new MlopsException("ONNX Runtime failed to run model " + source + ": " + e.getMessage()
        + "; check the input values against the model's expectations", e);
  }

  private List<Prediction> decode(OrtSession.Result result, int n) throws OrtException {
    List<Prediction> out = new ArrayList<>(n);
    if (outputs.kind() == Prediction.Kind.RAW) {
      List<RawTensor> all = new ArrayList<>(outputNames.size());
      for (String name : outputNames) {
        all.add(toRaw(name, (OnnxTensor) result.get(name).orElseThrow()));
      }
      for (int r = 0; r < n; r++) {
        out.add(Prediction.raw(version, n == 1 ? all : sliceRow(all, r, n)));
      }
      return out;
    }
    OnnxTensor v = (OnnxTensor) result.get(outputs.output()).orElseThrow();
    if (outputs.kind() == Prediction.Kind.CLASSIFICATION && v.getInfo().type == OnnxJavaType.FLOAT) {
      FloatBuffer fb = v.getFloatBuffer();
      int per = fb.remaining() / n;
      for (int r = 0; r < n; r++) {
        double[] scores = new double[per];
        for (int k = 0; k < per; k++) {
          scores[k] = fb.get(r * per + k);
        }
        out.add(outputs.classify(version, scores));
      }
      return out;
    }
    double[] values = toDoubles(v);
    int per = values.length / n;
    if (outputs.kind() == Prediction.Kind.CLASSIFICATION) {
      for (int r = 0; r < n; r++) {
        out.add(outputs.classify(version, Arrays.copyOfRange(values, r * per, (r + 1) * per)));
      }
    } else {
      for (int r = 0; r < n; r++) {
        out.add(Prediction.regression(version, Arrays.copyOfRange(values, r * per, (r + 1) * per)));
      }
    }
    return out;
  }

  private static List<RawTensor> sliceRow(List<RawTensor> all, int r, int n) {
    List<RawTensor> row = new ArrayList<>(all.size());
    for (RawTensor t : all) {
      long[] shape = t.shape();
      if (shape.length == 0 || shape[0] != n) {
        row.add(t);
        continue;
      }
      int per = t.values().length / n;
      shape[0] = 1;
      row.add(RawTensor.of(t.name(), t.elementType(), shape, Arrays.copyOfRange(t.values(), r * per, (r + 1) * per)));
    }
    return row;
  }

  /**
   * Runs named raw tensors through the session and returns every output as a raw tensor: the generic
   * path for models that take more than float inputs.
   *
   * @param inputs the inputs by name
   * @return the outputs in model order
   */
  public List<RawTensor> runRaw(List<RawTensor> inputs) {
    Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
    try {
      for (RawTensor t : inputs) {
        tensors.put(t.name(), toOnnx(t));
      }
      try (OrtSession.Result result = session.run(tensors)) {
        List<RawTensor> out = new ArrayList<>();
        for (Map.Entry<String, OnnxValue> e : result) {
          if (!(e.getValue() instanceof OnnxTensor ot)) {
            throw new MlopsException("Output '" + e.getKey() + "' of model " + source + " is not a tensor");
          }
          out.add(toRaw(e.getKey(), ot));
        }
        return out;
      }
    } catch (OrtException e) {
      throw runFailure(e);
    } finally {
      tensors.values().forEach(OnnxTensor::close);
    }
  }

  private OnnxTensor toOnnx(RawTensor t) throws OrtException {
    double[] v = t.values();
    long[] shape = t.shape();
    switch (t.elementType()) {
      case "float" -> {
        FloatBuffer b = direct(v.length * 4).asFloatBuffer();
        for (double d : v) {
          b.put((float) d);
        }
        return OnnxTensor.createTensor(env, b.flip(), shape);
      }
      case "double" -> {
        DoubleBuffer b = direct(v.length * 8).asDoubleBuffer();
        b.put(v);
        return OnnxTensor.createTensor(env, b.flip(), shape);
      }
      case "int64" -> {
        LongBuffer b = direct(v.length * 8).asLongBuffer();
        for (double d : v) {
          b.put((long) d);
        }
        return OnnxTensor.createTensor(env, b.flip(), shape);
      }
      case "int32" -> {
        IntBuffer b = direct(v.length * 4).asIntBuffer();
        for (double d : v) {
          b.put((int) d);
        }
        return OnnxTensor.createTensor(env, b.flip(), shape);
      }
      case "int16" -> {
        ShortBuffer b = direct(v.length * 2).asShortBuffer();
        for (double d : v) {
          b.put((short) d);
        }
        return OnnxTensor.createTensor(env, b.flip(), shape);
      }
      case "int8", "uint8", "bool" -> {
        ByteBuffer b = direct(v.length);
        for (double d : v) {
          b.put((byte) (int) d);
        }
        OnnxJavaType type = switch (t.elementType()) {
          case "int8" -> OnnxJavaType.INT8;
          case "uint8" -> OnnxJavaType.UINT8;
          default -> OnnxJavaType.BOOL;
        };
        return OnnxTensor.createTensor(env, b.flip(), shape, type);
      }
      default -> throw new SchemaMismatchException("Input '" + t.name() + "' of model " + source + " has element type "
          + t.elementType() + ", which the raw path does not encode; use float, double, int64, int32, int16, int8,"
          + " uint8 or bool");
    }
  }

  private static ByteBuffer direct(int bytes) {
    return ByteBuffer.allocateDirect(Math.max(bytes, 1)).order(ByteOrder.nativeOrder());
  }

  private RawTensor toRaw(String name, OnnxTensor t) {
    TensorInfo info = t.getInfo();
    return RawTensor.of(name, elementType(info.type), info.getShape(), toDoubles(t));
  }

  private static String elementType(OnnxJavaType type) {
    return switch (type) {
      case FLOAT -> "float";
      case DOUBLE -> "double";
      case INT64 -> "int64";
      case INT32 -> "int32";
      case INT16 -> "int16";
      case INT8 -> "int8";
      case UINT8 -> "uint8";
      case BOOL -> "bool";
      case FLOAT16 -> "float16";
      case BFLOAT16 -> "bfloat16";
      default -> type.name().toLowerCase(Locale.ROOT);
    };
  }

  private double[] toDoubles(OnnxTensor t) {
    OnnxJavaType type = t.getInfo().type;
    double[] out;
    switch (type) {
      case FLOAT, FLOAT16, BFLOAT16 -> {
        FloatBuffer b = t.getFloatBuffer();
        out = new double[b.remaining()];
        for (int i = 0; i < out.length; i++) {
          out[i] = b.get(i);
        }
      }
      case DOUBLE -> {
        DoubleBuffer b = t.getDoubleBuffer();
        out = new double[b.remaining()];
        b.get(out);
      }
      case INT64 -> {
        LongBuffer b = t.getLongBuffer();
        out = new double[b.remaining()];
        for (int i = 0; i < out.length; i++) {
          out[i] = b.get(i);
        }
      }
      case INT32 -> {
        IntBuffer b = t.getIntBuffer();
        out = new double[b.remaining()];
        for (int i = 0; i < out.length; i++) {
          out[i] = b.get(i);
        }
      }
      case INT16 -> {
        ShortBuffer b = t.getShortBuffer();
        out = new double[b.remaining()];
        for (int i = 0; i < out.length; i++) {
          out[i] = b.get(i);
        }
      }
      case INT8, UINT8, BOOL -> {
        ByteBuffer b = t.getByteBuffer();
        out = new double[b.remaining()];
        for (int i = 0; i < out.length; i++) {
          out[i] = type == OnnxJavaType.INT8 ? b.get(i) : b.get(i) & 0xff;
        }
      }
      default -> throw new MlopsException("Output of model " + source + " has element type " + type
          + ", which is not decoded; serve numeric or boolean outputs");
    }
    return out;
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      closeQuietly(session, sessionOptions);
    }
  }

  private void closeQuietly(@Nullable OrtSession s, OrtSession.SessionOptions so) {
    try {
      if (s != null) {
        s.close();
      }
    } catch (OrtException | RuntimeException e) {
      LOG.warn("Closing the ONNX session of {} failed: {}", source, e.toString());
    }
    try {
      so.close();
    } catch (RuntimeException e) {
      LOG.warn("Closing the session options of {} failed: {}", source, e.toString());
    }
  }
}
