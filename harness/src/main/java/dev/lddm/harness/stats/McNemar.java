package dev.lddm.harness.stats;

/**
 * The exact (binomial) McNemar test on paired binary outcomes. Only discordant pairs carry
 * information: {@code b10} instances the baseline got right and the candidate wrong, {@code b01} the
 * reverse. Under H0 each discordant pair is a fair coin, so the two-sided p-value is
 * {@code min(1, 2·P[X ≤ min(b01, b10)])} with {@code X ~ Binomial(b01 + b10, 1/2)}.
 */
public final class McNemar {
  private McNemar() {}

  /** The exact two-sided p-value; 1 when there are no discordant pairs. */
  public static double exactPValue(long b01, long b10) {
    if (b01 < 0 || b10 < 0) {
      throw new IllegalArgumentException("counts must be >= 0, got b01=" + b01 + " b10=" + b10);
    }
    long n = b01 + b10;
    if (n == 0) {
      return 1.0;
    }
    long k = Math.min(b01, b10);
    // Sum the lower tail in log space: exact enough for any n a benchmark produces.
    double logHalfN = -n * Math.log(2);
    double logTerm = logHalfN; // log C(n,0) / 2^n
    double tail = Math.exp(logTerm);
    for (long i = 1; i <= k; i++) {
      logTerm += Math.log((double) (n - i + 1) / i);
      tail += Math.exp(logTerm);
    }
    return Math.min(1.0, 2 * tail);
  }
}
