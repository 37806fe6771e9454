package dev.lddm.harness.stats;

/**
 * The Wilson score interval for a binomial proportion (Wilson 1927), which unlike the normal
 * approximation stays inside [0, 1] and behaves at 0 and n successes.
 */
public record Wilson(double low, double high) {
  /** z for a two-sided 95% interval. */
  public static final double Z95 = 1.959963984540054;

  /**
   * The 95% interval for {@code correct} successes out of {@code n}.
   *
   * @throws IllegalArgumentException when {@code n < 0} or {@code correct} is outside {@code 0..n}
   */
  public static Wilson of95(long correct, long n) {
    return of(correct, n, Z95);
  }

  /** The interval with a given z. For {@code n == 0} it is the whole [0, 1]. */
  public static Wilson of(long correct, long n, double z) {
    if (n < 0 || correct < 0 || correct > n) {
      throw new IllegalArgumentException("need 0 <= correct <= n, got correct=" + correct + " n=" + n);
    }
    if (n == 0) {
      return new Wilson(0, 1);
    }
    double p = (double) correct / n;
    double z2 = z * z;
    double denom = 1 + z2 / n;
    double centre = (p + z2 / (2.0 * n)) / denom;
    double half = z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denom;
    // At 0 and n successes the bound is exactly 0 (or 1); the formula leaves rounding dust there.
    double low = correct == 0 ? 0 : Math.max(0, centre - half);
    double high = correct == n ? 1 : Math.min(1, centre + half);
    return new Wilson(low, high);
  }
}
