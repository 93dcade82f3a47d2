package dev.mlops.serving;

/** The artifact formats the serving backends read, as written in a manifest's {@code format}. */
public final class ModelFormats {
  /** An ONNX model, run by ONNX Runtime. */
  public static final String ONNX = "onnx";
  /** A Tribuo model in Tribuo's protobuf format (Tribuo 4.3+): the preferred Tribuo format. */
  public static final String TRIBUO_PROTOBUF = "tribuo-protobuf";
  /** A Java-serialized Tribuo model, read through an allow-list {@link java.io.ObjectInputFilter}. */
  public static final String TRIBUO_JAVA = "tribuo-java";

  private ModelFormats() {}
}
