package dev.mlops.core.manifest;

import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Schema;
import java.util.List;
import java.util.Objects;

/**
 * What a model takes and gives: its input and output {@link Schema schemas} and, for tabular models,
 * the ordered {@link FeatureEncoding feature encoding} that turns an input row into the model's
 * input vector (empty for models that take tensors directly).
 *
 * @param inputs the input columns
 * @param outputs the output columns
 * @param encoding the input vector's slots in order; every slot's column is in {@code inputs}
 */
public record ModelSignature(Schema inputs, Schema outputs, List<FeatureEncoding> encoding) {

  /**
   * Validates the components: every slot reads an input column of a type it can encode.
   *
   * @param inputs the input columns
   * @param outputs the output columns
   * @param encoding the slots
   * @throws IllegalArgumentException naming the slot and column when they do not fit
   */
  public ModelSignature {
    Objects.requireNonNull(inputs, "inputs");
    Objects.requireNonNull(outputs, "outputs");
    encoding = List.copyOf(Objects.requireNonNull(encoding, "encoding"));
    for (int i = 0; i < encoding.size(); i++) {
      FeatureEncoding slot = Objects.requireNonNull(encoding.get(i), "encoding slot");
      Field f = inputs.findField(slot.column()).orElse(null);
      if (f == null) {
        throw new IllegalArgumentException("encoding slot " + i + " (" + slot.kind() + ") reads column '"
            + slot.column() + "', which is not in the input schema " + inputs.names() + "; add it or fix the slot");
      }
      DataType.Kind kind = f.type().kind();
      boolean numericSlot = slot instanceof FeatureEncoding.Numeric || slot instanceof FeatureEncoding.Standardized;
      boolean fits = numericSlot
          ? f.type().isNumeric() || kind == DataType.Kind.BOOLEAN
          : kind != DataType.Kind.FLOAT_TENSOR;
      if (!fits) {
        throw new IllegalArgumentException("encoding slot " + i + " (" + slot.kind() + ") cannot encode column '"
            + f.name() + "' of type " + f.type() + "; numeric slots need a number or boolean column and no slot"
            + " reads a tensor");
      }
    }
  }

  /**
   * A signature without feature encoding (the model takes its inputs as they are).
   *
   * @param inputs the input columns
   * @param outputs the output columns
   * @return the signature
   */
  public static ModelSignature of(Schema inputs, Schema outputs) {
    return new ModelSignature(inputs, outputs, List.of());
  }

  /**
   * A tabular model's signature with its feature encoding.
   *
   * @param inputs the input columns
   * @param outputs the output columns
   * @param encoding the input vector's slots in order
   * @return the signature
   */
  public static ModelSignature of(Schema inputs, Schema outputs, List<FeatureEncoding> encoding) {
    return new ModelSignature(inputs, outputs, encoding);
  }

  /**
   * The signature of a manifest whose model's inputs and outputs were not recorded.
   *
   * @return empty input and output schemas, no encoding
   */
  public static ModelSignature unspecified() {
    return new ModelSignature(Schema.of(List.of()), Schema.of(List.of()), List.of());
  }

  /**
   * Length of the encoded input vector.
   *
   * @return the number of slots
   */
  public int width() {
    return encoding.size();
  }
}
