package dev.mlops.core.fuzz;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.mlops.core.MlopsException;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * What every fuzz target of the project asserts about one input: the code under test returns a value
 * or refuses the input with an {@link MlopsException}; anything else that escapes (an
 * {@code IllegalArgumentException}, an {@code ArrayIndexOutOfBoundsException}, an
 * {@code OutOfMemoryError}, ...) fails the input with an {@link AssertionError} naming its type. What the
 * library wrote itself must read back; memory used for one input stays within a budget proportional to
 * the input. The other modules' fuzz targets use it from mlops-core's test jar.
 */
public final class Verdicts {
  /** Heap and Arrow memory one input may use besides its per-byte share: class loading, buffers, JIT. */
  public static final long BASE_BUDGET = 64L << 20;
  /** Heap bytes allocated per input byte, garbage included, before a parse counts as an allocation bomb. */
  public static final long HEAP_PER_INPUT_BYTE = 256;

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private static final ObjectReader STRICT_JSON = JsonMapper.builder().build().reader()
      .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private Verdicts() {}

  /** A step that may throw anything; what it throws is judged by the caller. */
  @FunctionalInterface
  public interface Step<T> {
    T run() throws Exception;
  }

  /**
   * Runs a parse of fuzz input.
   *
   * @return its value, or {@code null} when it refused the input with an {@link MlopsException}
   * @throws AssertionError when anything else escaped
   */
  public static <T> @Nullable T parse(String what, Step<T> step) {
    try {
      return step.run();
    } catch (MlopsException e) {
      return null;
    } catch (Throwable t) {
      throw untyped(what, t);
    }
  }

  /**
   * Runs a step on a value the library accepted, e.g. writing it back out: it must not fail at all.
   *
   * @throws AssertionError naming the step and what it threw
   */
  public static <T> T accepted(String what, Step<T> step) {
    try {
      return step.run();
    } catch (Throwable t) {
      throw new AssertionError(what + " failed on a value the library had accepted: " + t, t);
    }
  }

  public static AssertionError untyped(String what, Throwable t) {
    return new AssertionError(what + " let " + t.getClass().getName() + " escape (" + t.getMessage()
        + "); on bad input only an MlopsException (DataFormatException, ...) may escape", t);
  }

  /** Heap bytes allocated so far by the calling thread, garbage included. */
  public static long heapAllocated() {
    return THREADS.getCurrentThreadAllocatedBytes();
  }

  /**
   * Heap bytes one more run of a step allocates, whatever it throws (the first run was judged already).
   * A step found over its budget is measured again and the lower figure counts: the first run of a code
   * path also pays for loading (and, when fuzzing, instrumenting) its classes.
   */
  public static long heapOfRerun(Step<?> step) {
    long before = heapAllocated();
    try {
      step.run();
    } catch (Throwable t) {
      // judged on the first run
    }
    return heapAllocated() - before;
  }

  /**
   * Fails when one parse used more memory than its budget, {@link #BASE_BUDGET} plus
   * {@code perInputByte} times the input length: memory must follow the bytes present, never a length
   * the input declares.
   */
  public static void withinBudget(String what, String memory, long used, long inputLength, long perInputByte) {
    long budget = BASE_BUDGET + perInputByte * inputLength;
    if (used > budget) {
      throw new AssertionError(what + " used " + used + " bytes of " + memory + " for " + inputLength
          + " bytes of input (budget " + budget + "); a declared size or the column count drives the allocation,"
          + " not the data");
    }
  }

  /**
   * Fails when an accepted JSON text is not one strict JSON document: trailing content after the first
   * value, or a member given twice, must be refused, not ignored.
   */
  public static void oneStrictJsonDocument(String what, String text) {
    try {
      STRICT_JSON.readTree(text);
    } catch (Exception e) {
      throw new AssertionError(what + " accepted text that is not exactly one JSON document (" + e.getMessage()
          + "); trailing content and duplicate members must be refused", e);
    }
  }

  /**
   * Fails when an accepted document's top-level {@code formatVersion} is not a whole number from 1 to
   * {@code newest}: {@code 1.9} must not read as 1.
   */
  public static void supportedFormatVersion(String what, String text, int newest) {
    JsonNode v;
    try {
      v = STRICT_JSON.readTree(text).get("formatVersion");
    } catch (Exception e) {
      return; // not strict JSON: oneStrictJsonDocument reports it
    }
    if (v == null) {
      return;
    }
    if (!v.isNumber() || !wholeInRange(v.decimalValue(), newest)) {
      throw new AssertionError(what + " accepted formatVersion " + v + "; only the whole numbers 1 to " + newest
          + " are versions it reads");
    }
  }

  public static boolean wholeInRange(BigDecimal v, int newest) {
    return v.signum() > 0 && v.stripTrailingZeros().scale() <= 0 && v.compareTo(BigDecimal.valueOf(newest)) <= 0;
  }
}
