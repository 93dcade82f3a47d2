package dev.mlops.stats.internal;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.Arrays;

/**
 * The count, sum and sum of squares of a stream of doubles, kept exactly: the mean and standard
 * deviation it reports depend only on the multiset of values fed, never on their order or on how the
 * stream was split and {@link #merge merged}. That is what lets a session fed row by row, batch by
 * batch, or as partitions merged in any order reach the same statistic to the last bit, so a bound
 * on it cannot pass on one path and fail on another.
 *
 * <p>Every finite double is {@code m * 2^e} with an integer {@code m < 2^53} and {@code e >= -1074};
 * the sum is an integer multiple of {@code 2^-1074} and the sum of squares one of {@code 2^-2148}.
 * Both integers are held in base 2^32 digits in signed {@code long} cells (a superaccumulator, as in
 * Neal's xsum), with carries propagated every 2^29 additions, so an addition costs a few shifts and
 * adds and no allocation. NaN and infinities are counted apart; the statistics then follow NumPy
 * ({@code mean} is NaN with a NaN or both infinities, the infinity with one; {@code std} is NaN with
 * any). Reporting divides the exact integers once with 40 significant digits and rounds to double.
 *
 * <p>Memory: 206 longs (1.6 KiB) per instance. Not thread-safe.
 */
public final class ExactMoments {
  private static final long LOW32 = 0xffff_ffffL;
  /** Digits of the sum: 2^-1074 to past 2^1024 times 2^63 values. */
  private static final int SUM_CELLS = 70;
  /** Digits of the sum of squares: 2^-2148 to past 2^2048 times 2^63 values. */
  private static final int SQUARE_CELLS = 136;
  /** Additions between carry propagations: each adds under 2^33 to a cell, so cells stay under 2^62. */
  private static final int CARRY_EVERY = 1 << 29;
  private static final MathContext DIGITS = new MathContext(40);
  private static final BigDecimal SUM_SCALE = new BigDecimal(BigInteger.ONE.shiftLeft(1074));
  private static final BigInteger SQUARE_SCALE = BigInteger.ONE.shiftLeft(2148);

  private final long[] sum = new long[SUM_CELLS];
  private final long[] squares = new long[SQUARE_CELLS];
  private long finite;
  private long nans;
  private long positiveInfinities;
  private long negativeInfinities;
  private int pending;
  private final int carryEvery;

  /** An empty accumulator. */
  public ExactMoments() {
    this(CARRY_EVERY);
  }

  /** An empty accumulator that propagates carries every {@code carryEvery} additions (tests). */
  ExactMoments(int carryEvery) {
    if (carryEvery < 1 || carryEvery > CARRY_EVERY) {
      throw new IllegalArgumentException("carryEvery must be in [1, " + CARRY_EVERY + "], got " + carryEvery);
    }
    this.carryEvery = carryEvery;
  }

  /**
   * Adds one value.
   *
   * @param x the value; NaN and infinities are counted, not summed
   */
  public void add(double x) {
    if (x - x != 0.0) {
      if (x != x) {
        nans++;
      } else if (x > 0) {
        positiveInfinities++;
      } else {
        negativeInfinities++;
      }
      return;
    }
    finite++;
    long bits = Double.doubleToRawLongBits(x);
    int biased = (int) (bits >>> 52) & 0x7ff;
    long m = bits & 0xf_ffff_ffff_ffffL;
    if (biased == 0) {
      if (m == 0) {
        return;
      }
      biased = 1;
    } else {
      m |= 1L << 52;
    }
    // x = +-m * 2^(biased - 1075); in units of 2^-1074 that is m shifted left by biased - 1.
    int pos = biased - 1;
    boolean negative = bits < 0;
    long d0 = m & LOW32;
    long d1 = m >>> 32;
    addDigit(sum, pos, d0, negative);
    addDigit(sum, pos + 32, d1, negative);
    // x^2 = m^2 * 2^(2 biased - 2150), in units of 2^-2148: m^2 (106 bits) shifted left by 2 pos.
    long lo = m * m;
    long hi = Math.multiplyHigh(m, m);
    int sq = 2 * pos;
    addDigit(squares, sq, lo & LOW32, false);
    addDigit(squares, sq + 32, lo >>> 32, false);
    addDigit(squares, sq + 64, hi & LOW32, false);
    addDigit(squares, sq + 96, hi >>> 32, false);
    if (++pending >= carryEvery) {
      carry();
    }
  }

  /** Adds {@code digit * 2^bit} (digit below 2^32) to the cells, split at the 32-bit cell border. */
  private static void addDigit(long[] cells, int bit, long digit, boolean negative) {
    if (digit == 0) {
      return;
    }
    int cell = bit >>> 5;
    long v = digit << (bit & 31);
    long low = v & LOW32;
    long high = v >>> 32;
    if (negative) {
      cells[cell] -= low;
      cells[cell + 1] -= high;
    } else {
      cells[cell] += low;
      cells[cell + 1] += high;
    }
  }

  /**
   * Adds everything another accumulator holds; the other is left with the same value.
   *
   * @param other the other accumulator
   */
  public void merge(ExactMoments other) {
    carry();
    other.carry();
    for (int i = 0; i < SUM_CELLS; i++) {
      sum[i] += other.sum[i];
    }
    for (int i = 0; i < SQUARE_CELLS; i++) {
      squares[i] += other.squares[i];
    }
    finite += other.finite;
    nans += other.nans;
    positiveInfinities += other.positiveInfinities;
    negativeInfinities += other.negativeInfinities;
    pending = 1;
  }

  /**
   * A copy holding the same values.
   *
   * @return the copy
   */
  public ExactMoments copy() {
    ExactMoments c = new ExactMoments();
    c.merge(this);
    return c;
  }

  private void carry() {
    normalize(sum);
    normalize(squares);
    pending = 0;
  }

  /** Brings every cell but the top one into [0, 2^32), the top one holding the sign. */
  private static void normalize(long[] cells) {
    long carry = 0;
    int top = cells.length - 1;
    for (int i = 0; i < top; i++) {
      long v = cells[i] + carry;
      cells[i] = v & LOW32;
      carry = v >> 32;
    }
    cells[top] += carry;
  }

  private static BigInteger value(long[] cells) {
    normalize(cells);
    BigInteger v = BigInteger.valueOf(cells[cells.length - 1]);
    for (int i = cells.length - 2; i >= 0; i--) {
      v = v.shiftLeft(32).add(BigInteger.valueOf(cells[i]));
    }
    return v;
  }

  /**
   * Writes the exact state (counts and every digit of both sums): the form a state takes between the
   * tasks of one job, read back by {@link #readFrom}.
   *
   * @param out the stream
   * @throws IOException when the stream fails
   */
  public void writeTo(DataOutput out) throws IOException {
    carry();
    out.writeLong(finite);
    out.writeLong(nans);
    out.writeLong(positiveInfinities);
    out.writeLong(negativeInfinities);
    for (long c : sum) {
      out.writeLong(c);
    }
    for (long c : squares) {
      out.writeLong(c);
    }
  }

  /**
   * Reads a state {@link #writeTo} wrote, checking that it is one: counts not negative and every
   * digit but the top one (which holds the sign) in [0, 2^32), as a carried state has them.
   *
   * @param in the stream
   * @return the state
   * @throws IOException when the stream fails or ends early
   * @throws IllegalArgumentException when the state is impossible
   */
  public static ExactMoments readFrom(DataInput in) throws IOException {
    ExactMoments m = new ExactMoments();
    m.finite = in.readLong();
    m.nans = in.readLong();
    m.positiveInfinities = in.readLong();
    m.negativeInfinities = in.readLong();
    if ((m.finite | m.nans | m.positiveInfinities | m.negativeInfinities) < 0) {
      throw new IllegalArgumentException("exact moments with a negative count (finite " + m.finite + ", NaN "
          + m.nans + ", +Inf " + m.positiveInfinities + ", -Inf " + m.negativeInfinities + ")");
    }
    readCells(in, m.sum, "sum");
    readCells(in, m.squares, "sum of squares");
    if (m.finite == 0 && (value(m.sum).signum() != 0 || value(m.squares).signum() != 0)
        || value(m.squares).signum() < 0) {
      throw new IllegalArgumentException("exact moments whose sums do not fit their " + m.finite + " finite values");
    }
    return m;
  }

  private static void readCells(DataInput in, long[] cells, String what) throws IOException {
    int top = cells.length - 1;
    for (int i = 0; i < cells.length; i++) {
      long c = in.readLong();
      if (i < top && (c & ~LOW32) != 0) {
        throw new IllegalArgumentException("digit " + i + " of the exact " + what + " is " + c
            + ", outside [0, 2^32)");
      }
      cells[i] = c;
    }
  }

  /**
   * Values fed, NaN and infinities included.
   *
   * @return the count
   */
  public long count() {
    return finite + nans + positiveInfinities + negativeInfinities;
  }

  /**
   * The exact sum of the finite values, rounded once to double (infinite when it overflows).
   *
   * @return the sum of the finite values
   */
  public double finiteSum() {
    return new BigDecimal(value(sum)).divide(SUM_SCALE, DIGITS).doubleValue();
  }

  /**
   * The arithmetic mean, as {@code numpy.mean}.
   *
   * @return the mean; NaN for no values
   */
  public double mean() {
    if (nans > 0 || (positiveInfinities > 0 && negativeInfinities > 0)) {
      return Double.NaN;
    }
    if (positiveInfinities > 0) {
      return Double.POSITIVE_INFINITY;
    }
    if (negativeInfinities > 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (finite == 0) {
      return Double.NaN;
    }
    BigDecimal total = new BigDecimal(value(sum));
    return total.divide(SUM_SCALE.multiply(BigDecimal.valueOf(finite)), DIGITS).doubleValue();
  }

  /**
   * The standard deviation with {@code ddof} degrees of freedom removed, as
   * {@code numpy.std(values, ddof=ddof)}.
   *
   * @param ddof 1 for the sample standard deviation, 0 for the population one
   * @return the standard deviation; NaN when a value is not finite or there are not more than ddof
   */
  public double stddev(int ddof) {
    long n = count();
    if (n != finite || n <= ddof) {
      return Double.NaN;
    }
    BigInteger a = value(sum);
    BigInteger b = value(squares);
    BigInteger bn = BigInteger.valueOf(n);
    // sum((x - mean)^2) = (n * S2 - S1^2) / n, with S1 = a 2^-1074 and S2 = b 2^-2148: exact integers.
    BigInteger numerator = bn.multiply(b).subtract(a.multiply(a));
    BigInteger denominator = bn.multiply(BigInteger.valueOf(n - ddof)).multiply(SQUARE_SCALE);
    BigDecimal variance = new BigDecimal(numerator).divide(new BigDecimal(denominator), DIGITS);
    return variance.sqrt(DIGITS).doubleValue();
  }

  /**
   * The sum of squared deviations from the mean of the finite values, {@code sum((x - mean)^2)},
   * computed exactly and rounded once (the {@code M2} of Welford's and Chan's updates).
   *
   * @return M2; 0 for no finite values
   */
  public double m2() {
    if (finite == 0) {
      return 0.0;
    }
    BigInteger a = value(sum);
    BigInteger b = value(squares);
    BigInteger bn = BigInteger.valueOf(finite);
    BigInteger numerator = bn.multiply(b).subtract(a.multiply(a));
    BigInteger denominator = bn.multiply(SQUARE_SCALE);
    return new BigDecimal(numerator).divide(new BigDecimal(denominator), DIGITS).doubleValue();
  }

  /**
   * Finite values fed.
   *
   * @return the count of finite values
   */
  public long finiteCount() {
    return finite;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ExactMoments m)) {
      return false;
    }
    carry();
    m.carry();
    return finite == m.finite && nans == m.nans && positiveInfinities == m.positiveInfinities
        && negativeInfinities == m.negativeInfinities && Arrays.equals(sum, m.sum)
        && Arrays.equals(squares, m.squares);
  }

  @Override
  public int hashCode() {
    carry();
    return Arrays.hashCode(sum) * 31 + Long.hashCode(count());
  }

  @Override
  public String toString() {
    return "ExactMoments[n=" + count() + ", mean=" + mean() + ", std=" + stddev(1) + "]";
  }
}
