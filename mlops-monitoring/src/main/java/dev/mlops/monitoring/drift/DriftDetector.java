package dev.mlops.monitoring.drift;

import dev.mlops.monitoring.ColumnProfile;
import dev.mlops.monitoring.DatasetProfile;
import dev.mlops.stats.ColumnKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.KolmogorovSmirnov;
import org.jspecify.annotations.Nullable;

/**
 * Compares a reference with current data, column by column, and gives a dataset verdict. Thread-safe
 * and stateless apart from its {@link DriftOptions}.
 *
 * <p>Kolmogorov-Smirnov always reports D and the p-value of Commons Statistics, and drifts when
 * {@code p < alpha}. From samples ({@link #compareSamples}) it is exact. From profiles, each side is the
 * sample its exact value counts describe (numeric columns with few distinct values: then D and p equal
 * those of the raw samples), or else the sample its KLL sketch describes (each retained item repeated by
 * its weight, so the sizes are the true counts): D may then differ from the raw data's by up to the two
 * sketches' rank error (about 1.33% each at k = 200), which the result's note states together with the
 * critical D, and says when D is that close to it. Sides of more than
 * {@link DriftStatistics#KS_SAMPLE_MAX} values are quantile-sampled to that size first.
 *
 * <p>Wasserstein from profiles integrates the difference of the sketches' step CDFs (its error is at
 * most the rank error times the value range). Proportion tests on numeric columns bin both sides by
 * {@link DriftOptions#bins()} reference quantiles.
 */
public final class DriftDetector {
  /** Evidently's floor for the reference standard deviation that norms the Wasserstein distance. */
  public static final double MIN_WASSERSTEIN_NORM = 0.001;
  private static final String ONE_VALUE = "no p-value: Kolmogorov-Smirnov needs at least 2 values on each side";

  private final DriftOptions options;

  private DriftDetector(DriftOptions options) {
    this.options = options;
  }

  /**
   * A detector with {@link DriftOptions#defaults()}.
   *
   * @return the detector
   */
  public static DriftDetector withDefaults() {
    return new DriftDetector(DriftOptions.defaults());
  }

  /**
   * A detector with the given options.
   *
   * @param options the options
   * @return the detector
   */
  public static DriftDetector of(DriftOptions options) {
    return new DriftDetector(Objects.requireNonNull(options, "options"));
  }

  /**
   * The options.
   *
   * @return the options
   */
  public DriftOptions options() {
    return options;
  }

  /**
   * Compares every column of the reference that the options compare ({@link DriftOptions#compares};
   * all by default) and the current profile also has (by name), then applies
   * the multiple-testing correction and the drift-share rule. A reference column missing from the
   * current profile gets a not-computed result saying so.
   *
   * @param reference the reference profile (e.g. training data)
   * @param current the current profile
   * @return the verdict
   */
  public DatasetDrift compare(DatasetProfile reference, DatasetProfile current) {
    List<ColumnProfile> refs = reference.columns().stream().filter(c -> options.compares(c.name())).toList();
    List<@Nullable ColumnProfile> curs = new ArrayList<>();
    List<Side.@Nullable OfProfile> refSides = new ArrayList<>();
    List<Side.@Nullable OfProfile> curSides = new ArrayList<>();
    int m = 0;
    for (ColumnProfile r : refs) {
      ColumnProfile c = current.findColumn(r.name()).orElse(null);
      curs.add(c);
      boolean comparable = c != null && c.kind() == r.kind();
      Side.OfProfile rs = comparable ? new Side.OfProfile(r) : null;
      Side.OfProfile cs = comparable ? new Side.OfProfile(c) : null;
      refSides.add(rs);
      curSides.add(cs);
      if (comparable && r.kind() != ColumnKind.OTHER && r.validCount() > 0 && c.validCount() > 0
          && chooseTest(rs, cs, r.name()).hasPValue()) {
        m++;
      }
    }
    Correction corr = options.correction();
    double pDivisor = corr == Correction.BONFERRONI ? Math.max(1, m) : 1;
    List<ColumnDrift> out = new ArrayList<>(refs.size());
    for (int i = 0; i < refs.size(); i++) {
      ColumnProfile r = refs.get(i);
      ColumnProfile c = curs.get(i);
      if (c == null) {
        out.add(notComputed(r.name(), defaultTestForKind(r.kind()), r.validCount(), 0,
            "column missing from the current data"));
      } else if (c.kind() != r.kind()) {
        out.add(notComputed(r.name(), defaultTestForKind(r.kind()), r.validCount(), c.validCount(),
            "column type differs: reference " + r.type() + ", current " + c.type()));
      } else {
        out.add(compare(r.name(), refSides.get(i), curSides.get(i), null, pDivisor));
      }
    }
    if (corr == Correction.BENJAMINI_HOCHBERG) {
      out = benjaminiHochberg(out, m);
    }
    return verdict(out, corr);
  }

  /**
   * Compares one column's profiles with the configured or default test.
   *
   * @param reference reference profile of the column
   * @param current current profile of the same column
   * @return the result
   */
  public ColumnDrift compare(ColumnProfile reference, ColumnProfile current) {
    if (reference.kind() != current.kind()) {
      return notComputed(reference.name(), defaultTestForKind(reference.kind()), reference.validCount(),
          current.validCount(), "column type differs: reference " + reference.type() + ", current "
          + current.type());
    }
    return compare(reference.name(), new Side.OfProfile(reference), new Side.OfProfile(current), null, 1);
  }

  /**
   * Compares one column's profiles with a given test.
   *
   * @param reference reference profile
   * @param current current profile
   * @param test the test to run
   * @return the result
   */
  public ColumnDrift compare(ColumnProfile reference, ColumnProfile current, DriftTest test) {
    return compare(reference.name(), new Side.OfProfile(reference), new Side.OfProfile(current), test, 1);
  }

  /**
   * Compares two numeric samples exactly (KS p-value from Commons Statistics, exact Wasserstein, exact
   * bins), choosing the test by the default rule or the column's configured test.
   *
   * @param column the column name, for the result and per-column options
   * @param reference reference values; NaN and infinities are ignored
   * @param current current values
   * @return the result
   */
  public ColumnDrift compareSamples(String column, double[] reference, double[] current) {
    return compare(column, new Side.OfNumbers(reference), new Side.OfNumbers(current), null, 1);
  }

  /**
   * Compares two numeric samples exactly with a given test.
   *
   * @param column the column name
   * @param reference reference values
   * @param current current values
   * @param test the test
   * @return the result
   */
  public ColumnDrift compareSamples(String column, double[] reference, double[] current, DriftTest test) {
    return compare(column, new Side.OfNumbers(reference), new Side.OfNumbers(current), test, 1);
  }

  /**
   * Compares two categorical samples exactly (nulls ignored) with the default or configured test.
   *
   * @param column the column name
   * @param reference reference values
   * @param current current values
   * @return the result
   */
  public ColumnDrift compareSamples(String column, @Nullable String[] reference, @Nullable String[] current) {
    return compare(column, new Side.OfCategories(reference), new Side.OfCategories(current), null, 1);
  }

  /**
   * Compares two categorical samples exactly with a given test.
   *
   * @param column the column name
   * @param reference reference values
   * @param current current values
   * @param test the test
   * @return the result
   */
  public ColumnDrift compareSamples(String column, @Nullable String[] reference, @Nullable String[] current,
      DriftTest test) {
    return compare(column, new Side.OfCategories(reference), new Side.OfCategories(current), test, 1);
  }

  /**
   * The test the default rule picks for a column (see {@link DriftOptions}), ignoring per-column
   * configuration.
   *
   * @param reference reference profile
   * @param current current profile
   * @return the test
   */
  public DriftTest defaultTest(ColumnProfile reference, ColumnProfile current) {
    return defaultTest(new Side.OfProfile(reference), new Side.OfProfile(current));
  }

  private DriftTest chooseTest(Side ref, Side cur, String column) {
    return options.testFor(column).orElseGet(() -> defaultTest(ref, cur));
  }

  private DriftTest defaultTest(Side ref, Side cur) {
    boolean small = ref.validCount() <= options.smallSampleMax();
    if (!categoricalRoute(ref, cur)) {
      return small ? DriftTest.KOLMOGOROV_SMIRNOV : DriftTest.WASSERSTEIN_NORMED;
    }
    if (!small) {
      return DriftTest.JENSEN_SHANNON;
    }
    if (unionKeys(ref, cur).size() <= 2) {
      return DriftTest.Z_TEST;
    }
    // Chi-squared's p-value holds only with adequate expected counts; a numeric column whose counts
    // cannot reach them even grouped is compared as numbers.
    if (ref.numeric() && groupedForChiSquared(categoryCounts(ref, cur)) == null) {
      return DriftTest.KOLMOGOROV_SMIRNOV;
    }
    return DriftTest.CHI_SQUARED;
  }

  /**
   * Whether a 2 x k table meets Cochran's rule for chi-squared: no expected count below 1 and at
   * most 20% below 5.
   */
  static boolean cochran(long[][] t) {
    long a = 0;
    long b = 0;
    for (int i = 0; i < t[0].length; i++) {
      a += t[0][i];
      b += t[1][i];
    }
    double total = a + b;
    int cells = 0;
    int small = 0;
    for (int i = 0; i < t[0].length; i++) {
      double col = t[0][i] + t[1][i];
      if (col == 0) {
        continue;
      }
      for (double side : new double[] {a, b}) {
        double e = col * side / total;
        if (e < 1) {
          return false;
        }
        cells++;
        small += e < 5 ? 1 : 0;
      }
    }
    return small <= 0.2 * cells;
  }

  /**
   * The table as chi-squared may test it: as it is when it meets Cochran's rule, else with its
   * rarest categories merged (smallest combined count first) into one until it does; null when even
   * two groups do not. Deequ and Evidently regroup the same way. A table of one category is returned
   * as it is (both sides hold the one value: no drift).
   */
  static long @Nullable [] @Nullable [] groupedForChiSquared(long[][] t) {
    List<long[]> cols = new ArrayList<>();
    for (int i = 0; i < t[0].length; i++) {
      if (t[0][i] + t[1][i] > 0) {
        cols.add(new long[] {t[0][i], t[1][i]});
      }
    }
    while (true) {
      long[][] table = new long[2][cols.size()];
      for (int i = 0; i < cols.size(); i++) {
        table[0][i] = cols.get(i)[0];
        table[1][i] = cols.get(i)[1];
      }
      if (cols.size() < 2 || cochran(table)) {
        // One category on both sides is the same distribution: chi-squared is 0, p 1.
        return table;
      }
      if (cols.size() <= 2) {
        return null;
      }
      cols.sort(java.util.Comparator.comparingLong(c -> c[0] + c[1]));
      long[] x = cols.remove(0);
      long[] y = cols.remove(0);
      cols.add(new long[] {x[0] + y[0], x[1] + y[1]});
    }
  }

  /**
   * Whether a column is compared as categories: string and boolean columns always; a numeric column
   * when both sides' exact value counts together hold at most {@code categoricalUniqueMax} distinct
   * values (both sides: 5 reference prices against 5 other current prices are 10 values, compared as
   * numbers, not as 10 categories with one count each).
   */
  private boolean categoricalRoute(Side ref, Side cur) {
    if (!ref.numeric()) {
      return true;
    }
    return ref.exactCategories() && cur.exactCategories() && ref.categories() != null && cur.categories() != null
        && unionKeys(ref, cur).size() <= options.categoricalUniqueMax();
  }

  private static DriftTest defaultTestForKind(ColumnKind kind) {
    return kind == ColumnKind.NUMERIC ? DriftTest.KOLMOGOROV_SMIRNOV : DriftTest.CHI_SQUARED;
  }

  private ColumnDrift compare(String column, Side ref, Side cur, @Nullable DriftTest forced, double pDivisor) {
    ColumnDrift r = compareSides(column, ref, cur, forced, pDivisor);
    if (r.computed() && !ref.numeric() && !(ref.exactCategories() && cur.exactCategories())) {
      // A string column with more distinct values than the frequent-items sketch keeps exactly: its counts
      // are estimates (heavy hitters only), and no bound on a test over them is derived.
      String why = "; INCONCLUSIVE: the category counts of a side with more distinct values than the profile"
          + " keeps exactly are estimates, so no bound on this " + r.test().id() + " is derived; compare raw"
          + " samples (compareSamples) to decide";
      return r.test().hasPValue()
          ? new ColumnDrift(r.column(), r.test(), r.statistic(), 0.0, r.pValue(), 0.0, 1.0, r.threshold(), false,
              r.referenceCount(), r.currentCount(), r.note() + why)
          : new ColumnDrift(r.column(), r.test(), r.statistic(), Double.POSITIVE_INFINITY, r.pValue(), r.pValueLow(),
              r.pValueHigh(), r.threshold(), false, r.referenceCount(), r.currentCount(), r.note() + why);
    }
    return r;
  }

  private ColumnDrift compareSides(String column, Side ref, Side cur, @Nullable DriftTest forced, double pDivisor) {
    if (ref instanceof Side.OfProfile rp && rp.p.kind() == ColumnKind.OTHER) {
      return notComputed(column, DriftTest.KOLMOGOROV_SMIRNOV, ref.validCount(), cur.validCount(),
          "drift is not computed for " + rp.p.type() + " columns");
    }
    DriftTest test = forced != null ? forced : chooseTest(ref, cur, column);
    long n = ref.validCount();
    long m = cur.validCount();
    if (n == 0 || m == 0) {
      String which = n == 0 && m == 0 ? "reference and current have" : n == 0 ? "reference has" : "current has";
      return notComputed(column, test, n, m, which + " no valid values (empty, all null or all NaN/Inf)");
    }
    double threshold = options.thresholdFor(column, test);
    double alpha = test.hasPValue() ? threshold / pDivisor : threshold;
    boolean categorical = categoricalRoute(ref, cur);
    if (!categorical && (test == DriftTest.CHI_SQUARED || test == DriftTest.Z_TEST)) {
      return notComputed(column, test, n, m, test.id() + " needs category counts; this numeric column has more "
          + "than " + options.categoricalUniqueMax() + " distinct values: use ks or wasserstein_normed");
    }
    if (!ref.numeric() && (test == DriftTest.KOLMOGOROV_SMIRNOV || test == DriftTest.WASSERSTEIN_NORMED)) {
      return notComputed(column, test, n, m, test.id() + " needs numeric values; use chi_squared, z_test, "
          + "jensen_shannon, psi, hellinger or l_infinity for categorical columns");
    }
    switch (test) {
      case KOLMOGOROV_SMIRNOV -> {
        if (ref instanceof Side.OfProfile rp && cur instanceof Side.OfProfile cp) {
          return ksFromProfiles(column, rp, cp, alpha, n, m);
        }
        DriftStatistics.Result r = DriftStatistics.kolmogorovSmirnov(
            ((Side.OfNumbers) ref).sorted, ((Side.OfNumbers) cur).sorted);
        return pValueResult(column, test, r, alpha, n, m, Double.isNaN(r.pValue()) ? ONE_VALUE : "");
      }
      case WASSERSTEIN_NORMED -> {
        double w = DriftStatistics.wassersteinSorted(ref.cdfPoints(), ref.cdfValues(), cur.cdfPoints(),
            cur.cdfValues());
        double norm = Math.max(ref.stddev(), MIN_WASSERSTEIN_NORM);
        double s = w / norm;
        // Each side's step CDF is within its rank error of the raw data's, and only inside its exact
        // [min, max], so the integral of |F_ref - F_cur| moves by at most rank error x range per side.
        double err = (cdfError(ref) + cdfError(cur)) / norm;
        if (err == 0) {
          return ColumnDrift.exact(column, test, s, Double.NaN, threshold, s >= threshold, n, m, "");
        }
        return distanceFromSketches(column, test, s, err, threshold, n, m, "the raw data's Wasserstein-normed "
            + "distance is within " + fmt(err) + " of it (each side's rank error times its range over the "
            + "reference standard deviation, 99% confidence)");
      }
      case CHI_SQUARED, Z_TEST -> {
        long[][] counts = categoryCounts(ref, cur);
        DriftStatistics.Result r;
        String note = "";
        if (test == DriftTest.Z_TEST) {
          int hit = argMax(counts[0]);
          r = DriftStatistics.zTest(counts[0][hit], n, counts[1][hit], m);
        } else {
          long[][] grouped = groupedForChiSquared(counts);
          if (grouped == null) {
            return notComputed(column, test, n, m, "too few values for chi-squared: the expected counts stay"
                + " below Cochran's rule (none under 1, at most 20% under 5) even with the rarest categories"
                + " grouped; no verdict (compare more rows, or use ks for a numeric column)");
          }
          if (grouped[0].length < nonEmpty(counts)) {
            note = "the " + (nonEmpty(counts) - grouped[0].length + 1) + " rarest categories were tested as one, so"
                + " that every expected count meets Cochran's rule";
          }
          r = DriftStatistics.chiSquared(grouped[0], grouped[1]);
        }
        return pValueResult(column, test, r, alpha, n, m, note);
      }
      default -> {
        double[][] pq = categorical ? toDouble(categoryCounts(ref, cur)) : binned(ref, cur);
        double s = switch (test) {
          case PSI -> DriftStatistics.psi(pq[0], pq[1]);
          case JENSEN_SHANNON -> DriftStatistics.jensenShannon(pq[0], pq[1]);
          case HELLINGER -> DriftStatistics.hellinger(pq[0], pq[1]);
          default -> DriftStatistics.lInfinity(pq[0], pq[1]);
        };
        String bins = categorical ? "" : "on " + pq[0].length + " reference-quantile bins";
        if (!categorical && cdfError(ref) + cdfError(cur) > 0) {
          // Bin shares read from KLL sketches: no bound on this distance is derived, so it shows nothing.
          return distanceFromSketches(column, test, s, Double.POSITIVE_INFINITY, threshold, n, m, bins
              + " read from KLL sketches, for which no error bound of " + test.id() + " is derived; compare raw "
              + "samples, or use wasserstein_normed or ks from profiles");
        }
        return ColumnDrift.exact(column, test, s, Double.NaN, threshold, s >= threshold, n, m, bins);
      }
    }
  }

  private static ColumnDrift pValueResult(String column, DriftTest test, DriftStatistics.Result r, double alpha,
      long n, long m, String note) {
    return ColumnDrift.exact(column, test, r.statistic(), r.pValue(), alpha, r.pValue() < alpha, n, m, note);
  }

  /**
   * Kolmogorov-Smirnov between two profiles. Each side is the sample its exact value counts describe,
   * or else the weight-expanded sample of its KLL sketch (quantile-sampled above
   * {@link DriftStatistics#KS_SAMPLE_MAX} values); D and the p-value come from Commons Statistics on
   * those samples, and the verdict is {@code p < alpha}, as for raw samples.
   */
  private static ColumnDrift ksFromProfiles(String column, Side.OfProfile ref, Side.OfProfile cur, double alpha,
      long n, long m) {
    DriftStatistics.Result r = DriftStatistics.kolmogorovSmirnovWeighted(ref.sampleValues(), ref.sampleCumulative(),
        cur.sampleValues(), cur.sampleCumulative());
    DriftTest test = DriftTest.KOLMOGOROV_SMIRNOV;
    long n1 = DriftStatistics.ksEffectiveSize(n);
    long m1 = DriftStatistics.ksEffectiveSize(m);
    String sizes = n1 == n && m1 == m ? "" : "; p-value for quantile samples of " + n1 + " and " + m1
        + " values (conservative: the true sizes would give a smaller p)";
    if (Double.isNaN(r.pValue())) {
      sizes = sizes + "; " + ONE_VALUE;
    }
    double err = ref.rankError() + cur.rankError();
    if (err == 0) {
      String how = ref.exactNumbers() && cur.exactNumbers() ? "exact from value counts"
          : "exact: the sketches still hold every value";
      return pValueResult(column, test, r, alpha, n, m, how + " (D and p-value as for the raw samples)" + sizes);
    }
    String source = !ref.exactNumbers() && !cur.exactNumbers() ? "from KLL sketches"
        : ref.exactNumbers() ? "reference from value counts, current from its KLL sketch"
        : "reference from its KLL sketch, current from value counts";
    // Quantile sampling a side to n1 values moves its step CDF by at most 1 / n1 more.
    err += (n1 < n ? 1.0 / n1 : 0) + (m1 < m ? 1.0 / m1 : 0);
    // The raw data's D lies within err of the sketches' D (99% confidence each): its asymptotic
    // p-value, at the true sizes, lies between these two. Drift is shown only when even the largest is
    // below alpha; when only the smallest is, the result is inconclusive.
    double scale = Math.sqrt((double) n * m / ((double) n + m));
    double d = r.statistic();
    double pLow = Double.isNaN(r.pValue()) ? Double.NaN : DriftStatistics.kolmogorovSurvival((d + err) * scale);
    double pHigh = Double.isNaN(r.pValue()) ? Double.NaN
        : DriftStatistics.kolmogorovSurvival(Math.max(0, d - err) * scale);
    // Asymptotic critical D, c(alpha) * sqrt((n + m) / (n m)), c(alpha) = sqrt(-ln(alpha / 2) / 2).
    double crit = Math.sqrt(-0.5 * Math.log(alpha / 2)) / scale;
    KllDoublesSketch a = ref.p.quantileSketch();
    KllDoublesSketch b = cur.p.quantileSketch();
    double dataSketches = KolmogorovSmirnov.computeKSThreshold(a, b, alpha);
    boolean drifted = pHigh < alpha;
    String verdict = drifted ? "; drift shown: D - " + fmt(err) + " is beyond the critical D"
        : pLow < alpha ? "; INCONCLUSIVE: D is within the sketch error of the critical D, so the raw data could"
            + " give either verdict; compare the raw data, or profiles with a larger kllK"
        : "";
    return new ColumnDrift(column, test, d, err, r.pValue(), pLow, pHigh, alpha, drifted, n, m, source
        + ": p-value of the weight-expanded sketch samples; the raw data's D is within " + fmt(err) + " of it "
        + "(rank error of both sketches, 99% confidence), so its p-value is in [" + fmt(pLow) + ", " + fmt(pHigh)
        + "] (asymptotic); critical D at alpha " + fmt(alpha) + ": " + fmt(crit) + ", " + fmt(dataSketches)
        + " with DataSketches' computeKSThreshold (retained items plus rank error)" + verdict + sizes);
  }

  /** The most a side's step CDF, integrated over x, can differ from its raw data's: 0 when exact. */
  private static double cdfError(Side s) {
    return s instanceof Side.OfProfile p && p.rankError() > 0 ? p.rankError() * (p.max() - p.min()) : 0;
  }

  /** A distance from sketches: drift only when its lowest possible value reaches the threshold. */
  private static ColumnDrift distanceFromSketches(String column, DriftTest test, double s, double err,
      double threshold, long n, long m, String how) {
    boolean drifted = s - err >= threshold;
    String verdict = drifted ? "; drift shown: the distance minus its error reaches " + fmt(threshold)
        : s + err >= threshold ? "; INCONCLUSIVE: the distance is within the sketch error of the threshold, so the"
            + " raw data could give either verdict; compare the raw data, or profiles with a larger kllK"
        : "";
    return new ColumnDrift(column, test, s, err, Double.NaN, Double.NaN, Double.NaN, threshold, drifted, n, m,
        "from KLL sketches: " + how + verdict);
  }

  private static String fmt(double x) {
    return String.format(Locale.ROOT, "%.3g", x);
  }

  private static int nonEmpty(long[][] t) {
    int k = 0;
    for (int i = 0; i < t[0].length; i++) {
      k += t[0][i] + t[1][i] > 0 ? 1 : 0;
    }
    return k;
  }

  private static ColumnDrift notComputed(String column, DriftTest test, long n, long m, String why) {
    return ColumnDrift.exact(column, test, Double.NaN, Double.NaN, test.defaultThreshold(), false, n, m, why);
  }

  private static Set<String> unionKeys(Side ref, Side cur) {
    Set<String> keys = new LinkedHashSet<>();
    Map<String, Long> a = ref.categories();
    Map<String, Long> b = cur.categories();
    if (a != null) {
      keys.addAll(a.keySet());
    }
    if (b != null) {
      keys.addAll(b.keySet());
    }
    return keys;
  }

  /** Rows: reference, current; columns: the union of categories, then "other" when counts are partial. */
  private static long[][] categoryCounts(Side ref, Side cur) {
    Map<String, Long> a = ref.categories();
    Map<String, Long> b = cur.categories();
    List<String> keys = new ArrayList<>(unionKeys(ref, cur));
    boolean partial = !ref.exactCategories() || !cur.exactCategories();
    int k = keys.size() + (partial ? 1 : 0);
    long[][] out = new long[2][k];
    long sa = 0;
    long sb = 0;
    for (int i = 0; i < keys.size(); i++) {
      out[0][i] = a == null ? 0 : a.getOrDefault(keys.get(i), 0L);
      out[1][i] = b == null ? 0 : b.getOrDefault(keys.get(i), 0L);
      sa += out[0][i];
      sb += out[1][i];
    }
    if (partial) {
      out[0][k - 1] = Math.max(0, ref.validCount() - sa);
      out[1][k - 1] = Math.max(0, cur.validCount() - sb);
    }
    return out;
  }

  private static double[][] toDouble(long[][] c) {
    double[][] d = new double[2][c[0].length];
    for (int i = 0; i < c[0].length; i++) {
      d[0][i] = c[0][i];
      d[1][i] = c[1][i];
    }
    return d;
  }

  private static int argMax(long[] a) {
    int best = 0;
    for (int i = 1; i < a.length; i++) {
      if (a[i] > a[best]) {
        best = i;
      }
    }
    return best;
  }

  /** Counts of both sides in bins bounded by reference quantiles and the union's extremes. */
  private double[][] binned(Side ref, Side cur) {
    int b = options.bins();
    double[] e = new double[b + 1];
    e[0] = Math.min(ref.min(), cur.min());
    e[b] = Math.max(ref.max(), cur.max());
    for (int i = 1; i < b; i++) {
      e[i] = ref.quantile((double) i / b);
    }
    double[] edges = Arrays.stream(e).filter(Double::isFinite).distinct().sorted().toArray();
    if (edges.length < 2) {
      return new double[][] {{ref.validCount()}, {cur.validCount()}};
    }
    return new double[][] {ref.histogram(edges), cur.histogram(edges)};
  }

  private static List<ColumnDrift> benjaminiHochberg(List<ColumnDrift> in, int m) {
    List<ColumnDrift> withP = in.stream().filter(c -> c.computed() && c.hasPValue()).toList();
    if (withP.isEmpty()) {
      return in;
    }
    // The largest p-value each result allows: a sketch's error never turns into a discovery.
    double[] ps = withP.stream().mapToDouble(ColumnDrift::pValueHigh).sorted().toArray();
    double alphaMax = 0;
    double cutoff = -1;
    for (ColumnDrift c : withP) {
      alphaMax = Math.max(alphaMax, c.threshold());
    }
    int mm = Math.max(m, ps.length);
    for (int k = ps.length; k >= 1; k--) {
      double bound = k * alphaMax / mm;
      if (ps[k - 1] <= bound) {
        cutoff = bound;
        break;
      }
    }
    double reported = cutoff < 0 ? alphaMax / mm : cutoff;
    boolean any = cutoff >= 0;
    List<ColumnDrift> out = new ArrayList<>(in.size());
    for (ColumnDrift c : in) {
      if (c.computed() && c.hasPValue()) {
        out.add(c.withThreshold(reported, any && c.pValueHigh() <= cutoff));
      } else {
        out.add(c);
      }
    }
    return out;
  }

  private DatasetDrift verdict(List<ColumnDrift> cols, Correction corr) {
    int tested = 0;
    int drifted = 0;
    int inconclusive = 0;
    for (ColumnDrift c : cols) {
      if (c.computed()) {
        tested++;
        if (c.drifted()) {
          drifted++;
        } else if (c.inconclusive()) {
          inconclusive++;
        }
      }
    }
    double share = tested == 0 ? 0 : (double) drifted / tested;
    return new DatasetDrift(cols, tested, drifted, inconclusive, share, options.driftShare(),
        tested > 0 && share >= options.driftShare(), corr);
  }
}
