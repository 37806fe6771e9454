package dev.lddm.harness.eval;

import dev.lddm.harness.stats.McNemar;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A paired comparison of two prediction sets over the same instances, keyed by (task, split, index).
 *
 * @param n instances in both sets
 * @param baseCorrect instances the baseline got right
 * @param candCorrect instances the candidate got right
 * @param b01 baseline wrong, candidate right (improvements)
 * @param b10 baseline right, candidate wrong (regressions)
 * @param pValue exact two-sided McNemar p-value
 */
public record Pairing(int n, int baseCorrect, int candCorrect, int b01, int b10, double pValue) {
  public double baseAccuracy() {
    return n == 0 ? 0 : (double) baseCorrect / n;
  }

  public double candAccuracy() {
    return n == 0 ? 0 : (double) candCorrect / n;
  }

  /** Candidate minus baseline accuracy. */
  public double delta() {
    return candAccuracy() - baseAccuracy();
  }

  /** Thrown when the two sets do not cover the same instances. */
  public static final class MismatchException extends IllegalArgumentException {
    public MismatchException(String message) {
      super(message);
    }
  }

  /**
   * Pairs two prediction sets.
   *
   * @throws MismatchException when either set has a duplicate key or the key sets differ (saying how many
   *     instances differ)
   */
  public static Pairing of(List<Prediction> base, List<Prediction> cand) {
    Map<String, Prediction> b = index(base, "baseline");
    Map<String, Prediction> c = index(cand, "candidate");
    long onlyBase = b.keySet().stream().filter(k -> !c.containsKey(k)).count();
    long onlyCand = c.keySet().stream().filter(k -> !b.containsKey(k)).count();
    if (onlyBase + onlyCand > 0) {
      throw new MismatchException("instance sets differ: " + onlyBase + " only in the baseline, " + onlyCand
          + " only in the candidate (of " + b.size() + " and " + c.size() + ")");
    }
    int bc = 0;
    int cc = 0;
    int b01 = 0;
    int b10 = 0;
    for (Map.Entry<String, Prediction> e : b.entrySet()) {
      boolean x = e.getValue().correct();
      boolean y = c.get(e.getKey()).correct();
      bc += x ? 1 : 0;
      cc += y ? 1 : 0;
      b01 += !x && y ? 1 : 0;
      b10 += x && !y ? 1 : 0;
    }
    return new Pairing(b.size(), bc, cc, b01, b10, McNemar.exactPValue(b01, b10));
  }

  /**
   * Pools paired comparisons of independent strata (e.g. one per training seed, each over the same
   * instances): counts add up and the exact McNemar test runs on the pooled discordant pairs, which is valid
   * because every pair of predictions is a separate matched pair.
   */
  public static Pairing pooled(List<Pairing> strata) {
    int n = 0;
    int bc = 0;
    int cc = 0;
    int b01 = 0;
    int b10 = 0;
    for (Pairing p : strata) {
      n += p.n();
      bc += p.baseCorrect();
      cc += p.candCorrect();
      b01 += p.b01();
      b10 += p.b10();
    }
    return new Pairing(n, bc, cc, b01, b10, McNemar.exactPValue(b01, b10));
  }

  private static Map<String, Prediction> index(List<Prediction> rows, String which) {
    Map<String, Prediction> m = new LinkedHashMap<>();
    for (Prediction p : rows) {
      if (m.put(p.key(), p) != null) {
        throw new MismatchException("the " + which + " has instance " + p.key()
            + " more than once; pass a single predictions.csv");
      }
    }
    return m;
  }
}
