package dev.lddm.harness.eval;

import static java.util.Objects.requireNonNull;

import dev.lddm.harness.stats.McNemar;
import dev.lddm.harness.stats.Newcombe;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A paired comparison of two prediction sets over the same instances: the 2x2 table of (baseline right or
 * wrong) x (candidate right or wrong). Instances are paired by (task, split, index) and a pair only counts
 * when both rows hold the same {@code input}; see {@link #match}.
 *
 * @param n paired instances
 * @param baseCorrect instances the baseline got right
 * @param candCorrect instances the candidate got right
 * @param b01 baseline wrong, candidate right (improvements)
 * @param b10 baseline right, candidate wrong (regressions)
 */
public record Pairing(int n, int baseCorrect, int candCorrect, int b01, int b10) {
  /**
   * @throws IllegalArgumentException when the counts are not a 2x2 table of {@code n} pairs
   */
  public Pairing {
    if (n < 0 || b01 < 0 || b10 < 0 || b10 > baseCorrect || baseCorrect > n || b01 > n - baseCorrect
        || candCorrect != baseCorrect - b10 + b01) {
      throw new IllegalArgumentException("not a 2x2 table: n=" + n + " baseCorrect=" + baseCorrect + " candCorrect="
          + candCorrect + " b01=" + b01 + " b10=" + b10);
    }
  }

  /** Both right. */
  public int bothCorrect() {
    return baseCorrect - b10;
  }

  /** Both wrong. */
  public int neitherCorrect() {
    return n - bothCorrect() - b01 - b10;
  }

  /** Baseline accuracy (0 when {@code n == 0}). */
  public double baseAccuracy() {
    return n == 0 ? 0 : (double) baseCorrect / n;
  }

  /** Candidate accuracy (0 when {@code n == 0}). */
  public double candAccuracy() {
    return n == 0 ? 0 : (double) candCorrect / n;
  }

  /** Candidate minus baseline accuracy, {@code (b01 - b10) / n} (0 when {@code n == 0}). */
  public double delta() {
    return n == 0 ? 0 : (double) (b01 - b10) / n;
  }

  /** The exact two-sided McNemar p-value ({@link McNemar}); 1 without discordant pairs. */
  public double pValue() {
    return McNemar.exactPValue(b01, b10);
  }

  /**
   * The 95% confidence interval for {@link #delta()} (candidate minus baseline): Newcombe's hybrid score
   * interval for paired proportions ({@link Newcombe}, Newcombe 1998, method 10) on this table.
   *
   * @throws IllegalArgumentException when {@code n == 0}
   */
  public Newcombe ci95() {
    return Newcombe.of95(bothCorrect(), b01, b10, neitherCorrect());
  }

  /** Thrown when two prediction sets cannot be paired; the message is one line. */
  public static final class MismatchException extends IllegalArgumentException {
    public MismatchException(String message) {
      super(message);
    }
  }

  /** One paired instance: the baseline's and the candidate's row for the same key and input. */
  public record Pair(Prediction base, Prediction cand) {
    public Pair {
      requireNonNull(base, "base");
      requireNonNull(cand, "cand");
      if (!base.key().equals(cand.key()) || !base.input().equals(cand.input())) {
        throw new IllegalArgumentException("a pair needs the same key and input, got " + base.key() + " "
            + quoted(base.input()) + " and " + cand.key() + " " + quoted(cand.input()));
      }
    }
  }

  /**
   * Pairs two prediction sets row by row, in the baseline's order. Refuses, with a one-line message that
   * counts the offending instances and shows the first one:
   * <ul>
   *   <li>a set with a key (task, split, index) more than once;
   *   <li>an empty set (there is nothing to compare);
   *   <li>key sets that differ (keys only in the baseline, only in the candidate);
   *   <li>a key whose {@code input} differs between the two sets (the files are not about the same
   *       problems, e.g. another seed or generator version).
   * </ul>
   *
   * @throws MismatchException in any of those cases
   */
  public static List<Pair> match(List<Prediction> base, List<Prediction> cand) {
    Map<String, Prediction> b = index(base, "baseline");
    Map<String, Prediction> c = index(cand, "candidate");
    if (b.isEmpty() || c.isEmpty()) {
      throw new MismatchException("no instances to compare (the baseline has " + b.size()
          + " predictions, the candidate " + c.size() + ")");
    }
    List<String> onlyBase = b.keySet().stream().filter(k -> !c.containsKey(k)).toList();
    List<String> onlyCand = c.keySet().stream().filter(k -> !b.containsKey(k)).toList();
    if (!onlyBase.isEmpty() || !onlyCand.isEmpty()) {
      throw new MismatchException("instance sets differ: " + onlyBase.size() + " only in the baseline"
          + (onlyBase.isEmpty() ? "" : " (first " + onlyBase.get(0) + ")") + ", " + onlyCand.size()
          + " only in the candidate" + (onlyCand.isEmpty() ? "" : " (first " + onlyCand.get(0) + ")")
          + " (of " + b.size() + " and " + c.size() + ")");
    }
    List<Pair> pairs = new ArrayList<>(b.size());
    int differ = 0;
    String first = null;
    for (Prediction x : b.values()) {
      Prediction y = c.get(x.key());
      if (!x.input().equals(y.input())) {
        if (differ++ == 0) {
          first = x.key() + ": base input " + quoted(x.input()) + ", cand input " + quoted(y.input());
        }
      } else {
        pairs.add(new Pair(x, y));
      }
    }
    if (differ > 0) {
      throw new MismatchException("inputs differ for " + differ + " of " + b.size()
          + " instances (not the same problems); first " + first);
    }
    return pairs;
  }

  /** The 2x2 table of matched pairs. */
  public static Pairing of(List<Pair> pairs) {
    int bc = 0;
    int cc = 0;
    int b01 = 0;
    int b10 = 0;
    for (Pair p : pairs) {
      boolean x = p.base().correct();
      boolean y = p.cand().correct();
      bc += x ? 1 : 0;
      cc += y ? 1 : 0;
      b01 += !x && y ? 1 : 0;
      b10 += x && !y ? 1 : 0;
    }
    return new Pairing(pairs.size(), bc, cc, b01, b10);
  }

  /** {@link #match} then {@link #of(List)}. */
  public static Pairing of(List<Prediction> base, List<Prediction> cand) {
    return of(match(base, cand));
  }

  /**
   * Pools paired comparisons of independent strata (e.g. one per training seed or per evaluation): the
   * 2x2 tables add up, so the exact McNemar test and the Newcombe interval run on the summed table. Valid
   * because every pair of predictions is a separate matched pair, even when strata share instances.
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
    return new Pairing(n, bc, cc, b01, b10);
  }

  /**
   * {@code s} in double quotes, with {@code \"}, {@code \\}, {@code \n}, {@code \r}, {@code \t} and
   * {@code \}{@code uXXXX} escapes for other control characters, so that it stays on one line and empty or
   * space-only values are visible.
   */
  public static String quoted(String s) {
    return QUOTER.toJson(s);
  }

  /** JSON string quoting (Gson, without its HTML escapes, so {@code =} and {@code <} stay readable). */
  private static final com.google.gson.Gson QUOTER = new com.google.gson.GsonBuilder().disableHtmlEscaping().create();


  private static Map<String, Prediction> index(List<Prediction> rows, String which) {
    Map<String, Prediction> m = new LinkedHashMap<>();
    for (Prediction p : rows) {
      if (m.put(p.key(), p) != null) {
        throw new MismatchException("the " + which + " has instance " + p.key() + " more than once");
      }
    }
    return m;
  }
}
