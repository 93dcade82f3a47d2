package dev.mlops.validation;

import dev.mlops.core.DataFormatException;
import dev.mlops.core.MlopsException;
import dev.mlops.core.Schema;
import dev.mlops.core.internal.AtomicFiles;
import dev.mlops.validation.internal.ContractCodec;
import dev.mlops.validation.internal.ContractRules;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A schema plus the constraints its data must meet. Immutable; stored as JSON or YAML for people to
 * review and edit (see {@code docs/validation.md} for the file format), compiled into a
 * {@link Validator} to check data.
 *
 * <p>Construction checks the constraints against the schema: every column a constraint names must
 * exist with a type the constraint applies to, and a constraint may appear once per column (quantiles
 * once per {@code q}). Constraints are kept in file order: per column in schema order, then the table
 * constraints (row count, comparisons, custom predicates).
 *
 * @param name the contract's name, e.g. the dataset or model input it guards
 * @param schema the expected columns
 * @param constraints the rules
 * @param extraColumns what to do with data columns the schema lacks
 */
public record DataContract(String name, Schema schema, List<Constraint> constraints, ExtraColumns extraColumns) {
  /** Version of the file format written by {@link #toJson()} and {@link #toYaml()}. */
  public static final int FORMAT_VERSION = 1;

  /**
   * The largest contract read: 3 MiB (3,145,728) characters of text, or bytes of a file. SnakeYAML's
   * own code-point limit is set to the same value, so this is the limit that speaks; a contract this
   * large is almost always an {@code allowed_values} list that outgrew its purpose.
   */
  public static final int MAX_TEXT_LENGTH = 3 << 20;

  /**
   * Validates and orders the constraints.
   *
   * @param name the contract's name
   * @param schema the expected columns
   * @param constraints the rules
   * @param extraColumns what to do with data columns the schema lacks
   * @throws IllegalArgumentException naming the constraint and what to fix when one does not fit the
   *     schema or is given twice
   */
  public DataContract {
    if (name.isBlank()) {
      throw new IllegalArgumentException("A data contract needs a non-blank name");
    }
    List<Constraint> sorted = new ArrayList<>(constraints);
    sorted.sort(Comparator.comparingInt((Constraint c) -> ContractRules.group(schema, c))
        .thenComparingInt(c -> Constraint.KINDS.indexOf(c.kind())));
    for (int i = 0; i < sorted.size(); i++) {
      Constraint c = sorted.get(i);
      try {
        ContractRules.check(schema, c);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Constraint " + c.id() + ": " + e.getMessage(), e);
      }
      for (int j = 0; j < i; j++) {
        Constraint other = sorted.get(j);
        if (other.id().equals(c.id())) {
          throw new IllegalArgumentException("Constraint " + c.id() + " is given twice; keep one");
        }
        if (ContractRules.sameFileSlot(other, c)) {
          // A contract file holds one rule of a kind under a column; a second (say one with a when
          // condition beside one without) could not be written, and would be lost on save.
          throw new IllegalArgumentException("Constraints " + other.id() + " and " + c.id() + " are both a "
              + c.kind() + " rule of column '" + c.columns().get(0) + "', which holds one; keep one, or give the"
              + " other its own when condition on a table rule");
        }
      }
    }
    constraints = List.copyOf(sorted);
  }

  /**
   * A contract that warns about extra columns.
   *
   * @param name the contract's name
   * @param schema the expected columns
   * @param constraints the rules
   * @return the contract
   */
  public static DataContract of(String name, Schema schema, List<Constraint> constraints) {
    return new DataContract(name, schema, constraints, ExtraColumns.WARN);
  }

  /**
   * A contract that warns about extra columns.
   *
   * @param name the contract's name
   * @param schema the expected columns
   * @param constraints the rules
   * @return the contract
   */
  public static DataContract of(String name, Schema schema, Constraint... constraints) {
    return of(name, schema, List.of(constraints));
  }

  /**
   * This contract with more constraints.
   *
   * @param more constraints to add
   * @return a new contract
   */
  public DataContract with(Constraint... more) {
    List<Constraint> all = new ArrayList<>(constraints);
    all.addAll(List.of(more));
    return new DataContract(name, schema, all, extraColumns);
  }

  /**
   * This contract with another extra-column policy.
   *
   * @param policy the policy
   * @return a new contract
   */
  public DataContract withExtraColumns(ExtraColumns policy) {
    return new DataContract(name, schema, constraints, policy);
  }

  /**
   * The schema to read this contract's data with ({@link dev.mlops.core.io.CsvOptions.Builder#schema}):
   * the contract's columns and types with every column nullable. Reading never decides validity: a
   * missing value read under the contract's own schema would fail the read as a bad line where a
   * column is not nullable, and the contract's {@code not_null} rule, its {@code mostly} and its
   * severity would never see it. Read with this schema and let the rules judge.
   *
   * @return the schema, nullable throughout
   */
  public Schema readSchema() {
    List<dev.mlops.core.Field> fields = new java.util.ArrayList<>(schema.size());
    for (dev.mlops.core.Field f : schema.fields()) {
      fields.add(f.withNullable(true));
    }
    return Schema.of(fields);
  }

  /**
   * The constraints that read a column.
   *
   * @param column the column name
   * @return matching constraints in contract order
   */
  public List<Constraint> constraintsOn(String column) {
    return constraints.stream().filter(c -> c.columns().contains(column)).toList();
  }

  /**
   * Parses the JSON form.
   *
   * @param json the text
   * @param source the file name or other description, used in error messages
   * @return the contract
   * @throws DataFormatException naming source, line and path (e.g. {@code columns[3].range.min})
   */
  public static DataContract fromJson(String json, String source) {
    return ContractCodec.read(json, source, false);
  }

  /**
   * Parses the YAML form.
   *
   * @param yaml the text
   * @param source the file name or other description, used in error messages
   * @return the contract
   * @throws DataFormatException naming source, line and path (e.g. {@code columns[3].range.min})
   */
  public static DataContract fromYaml(String yaml, String source) {
    return ContractCodec.read(yaml, source, true);
  }

  /**
   * Reads a contract file: YAML when the name ends in {@code .yaml} or {@code .yml}, JSON otherwise.
   *
   * @param file the file; a regular file of at most {@link #MAX_TEXT_LENGTH} bytes of UTF-8
   * @return the contract
   * @throws DataFormatException naming file, line and path when the file is not a valid contract, and
   *     the size and the limit when it is too large
   * @throws MlopsException when the file cannot be read or is not a regular file
   */
  public static DataContract read(Path file) {
    return ContractCodec.read(file, isYaml(file));
  }

  /**
   * Writes this contract atomically (a reader never sees a partial file): YAML when the name ends in
   * {@code .yaml} or {@code .yml}, JSON otherwise.
   *
   * @param file the file, replaced if present
   * @throws MlopsException when the file cannot be written, or when a string of the contract holds an
   *     unpaired surrogate that UTF-8 cannot encode (nothing is written then)
   */
  public void write(Path file) {
    // YAML would spell an unpaired surrogate as an escape, which no reader takes back as the same text:
    // refused for both formats, through the JSON form's UTF-8 check.
    byte[] json = ContractCodec.utf8(toJson(), file);
    byte[] bytes = isYaml(file) ? ContractCodec.utf8(toYaml(), file) : json;
    AtomicFiles.write(file, "data contract", out -> out.write(bytes));
  }

  /**
   * The JSON form, indented.
   *
   * @return the JSON text
   */
  public String toJson() {
    return ContractCodec.toJson(this);
  }

  /**
   * The YAML form, for people to review and edit.
   *
   * @return the YAML text
   */
  public String toYaml() {
    return ContractCodec.toYaml(this);
  }

  private static boolean isYaml(Path file) {
    String n = String.valueOf(file.getFileName()).toLowerCase(Locale.ROOT);
    return n.endsWith(".yaml") || n.endsWith(".yml");
  }
}
