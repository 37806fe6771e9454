package dev.lddm.harness.stats;

/**
 * Newcombe's hybrid score interval for the difference of two <em>paired</em> proportions: R. G. Newcombe,
 * "Improved confidence intervals for the difference between binomial proportions based on paired data",
 * Statistics in Medicine 17 (1998) 2635-2650, method 10 (also called the square-and-add interval).
 *
 * <p>Each of the {@code n} pairs is a 2x2 outcome (first right/wrong, second right/wrong): {@code both},
 * {@code firstOnly}, {@code secondOnly}, {@code neither} (Newcombe's a, b, c, d). With {@code p1 = (a + b)/n},
 * {@code p2 = (a + c)/n}, their Wilson score intervals {@code [l1, u1]}, {@code [l2, u2]} (no continuity
 * correction, {@link Wilson}) and the correlation {@code phi} between the two outcomes, the interval for
 * {@code theta = p1 - p2 = (b - c)/n} is
 *
 * <pre>
 *   L = theta - sqrt((p1 - l1)^2 - 2 phi (p1 - l1)(u2 - p2) + (u2 - p2)^2)
 *   U = theta + sqrt((u1 - p1)^2 - 2 phi (u1 - p1)(p2 - l2) + (p2 - l2)^2)
 * </pre>
 *
 * <p>{@code phi} is Newcombe's estimate from the table, with the margins {@code e = a + b}, {@code f = c + d},
 * {@code g = a + c}, {@code h = b + d} and {@code A = ad - bc}: {@code (A - n/2)/sqrt(efgh)} when
 * {@code A > n/2}, 0 when {@code 0 <= A <= n/2}, {@code A/sqrt(efgh)} when {@code A < 0}, and 0 when a
 * margin is empty. (The shrinkage of a positive {@code A} by {@code n/2} belongs to method 10; the continuity
 * correction that method 11 adds is on the Wilson intervals, and is not used here.) This is the definition
 * implemented by Fagerland, Lydersen and Laake (Statistics in Medicine 33 (2014) 2850-2875, "Newcombe
 * square-and-add") and reproduces their published example, see {@code NewcombeTest}.
 *
 * <p>The interval always contains {@code theta} and lies in [-1, 1]; it is deterministic (no iteration).
 *
 * @param estimate the point estimate {@code (firstOnly - secondOnly) / n}
 * @param low the lower limit
 * @param high the upper limit
 */
public record Newcombe(double estimate, double low, double high) {
  /**
   * @throws IllegalArgumentException unless {@code -1 <= low <= estimate <= high <= 1}
   */
  public Newcombe {
    if (!(-1 <= low && low <= estimate && estimate <= high && high <= 1)) {
      throw new IllegalArgumentException("need -1 <= low <= estimate <= high <= 1, got low=" + low + " estimate="
          + estimate + " high=" + high);
    }
  }

  /**
   * The 95% interval for {@code p_first - p_second}.
   *
   * @param both pairs where both outcomes are successes (a)
   * @param firstOnly pairs where only the first is a success (b)
   * @param secondOnly pairs where only the second is a success (c)
   * @param neither pairs where both are failures (d)
   * @throws IllegalArgumentException when a count is negative or there are no pairs
   */
  public static Newcombe of95(long both, long firstOnly, long secondOnly, long neither) {
    return of(both, firstOnly, secondOnly, neither, Wilson.Z95);
  }

  /**
   * {@link #of95} with a given two-sided z (for a {@code 1 - alpha} interval, {@code z = Phi^-1(1 - alpha/2)}).
   *
   * @throws IllegalArgumentException when a count is negative, there are no pairs, or {@code z <= 0}
   */
  public static Newcombe of(long both, long firstOnly, long secondOnly, long neither, double z) {
    if (both < 0 || firstOnly < 0 || secondOnly < 0 || neither < 0) {
      throw new IllegalArgumentException("counts must be >= 0, got both=" + both + " firstOnly=" + firstOnly
          + " secondOnly=" + secondOnly + " neither=" + neither);
    }
    if (!(z > 0)) {
      throw new IllegalArgumentException("z must be > 0, got " + z);
    }
    long n = both + firstOnly + secondOnly + neither;
    if (n == 0) {
      throw new IllegalArgumentException("need at least one pair, got n=0");
    }
    long first = both + firstOnly;
    long second = both + secondOnly;
    double p1 = (double) first / n;
    double p2 = (double) second / n;
    double theta = (double) (firstOnly - secondOnly) / n;
    Wilson w1 = Wilson.of(first, n, z);
    Wilson w2 = Wilson.of(second, n, z);
    double phi = phi(both, firstOnly, secondOnly, neither);
    double dl = squareAndAdd(p1 - w1.low(), w2.high() - p2, phi);
    double du = squareAndAdd(w1.high() - p1, p2 - w2.low(), phi);
    // Mathematically L >= -1 and U <= 1 (each root is at most p1 + 1 - p2, resp. 1 - p1 + p2); clamp rounding.
    return new Newcombe(theta, Math.max(-1, theta - dl), Math.min(1, theta + du));
  }

  /** Newcombe's phi, see the class comment; package-private for the tests. */
  static double phi(long a, long b, long c, long d) {
    double margins = (double) (a + b) * (double) (c + d) * (double) (a + c) * (double) (b + d);
    if (margins == 0) {
      return 0;
    }
    double n = a + b + c + d;
    double cross = (double) a * d - (double) b * c;
    if (cross > n / 2) {
      return (cross - n / 2) / Math.sqrt(margins);
    }
    return cross >= 0 ? 0 : cross / Math.sqrt(margins);
  }

  private static double squareAndAdd(double x, double y, double phi) {
    return Math.sqrt(Math.max(0, x * x - 2 * phi * x * y + y * y));
  }
}
