package dev.lddm.harness.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lddm.harness.eval.Pairing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Newcombe's paired-difference interval (method 10) against published and independently computed values. */
class NewcombeTest {
  /**
   * A published value: complete response before and after consolidation therapy (Cavo et al. 2012), the
   * paired table a=59, b=6, c=16, d=80 of Fagerland, Lydersen and Laake, "Statistical Analysis of
   * Contingency Tables" (2017), chapter 8, whose "Newcombe square-and-add" interval is printed as
   * estimate -0.0621, 95% CI -0.1186 to -0.0046 (also pinned by the authors' R package contingencytables,
   * tests/testthat/test-ch8.R). Four decimals, so the tolerance is half a unit in the fourth.
   */
  @Test
  void matchesPublishedExample() {
    Newcombe ci = Newcombe.of95(59, 6, 16, 80);
    assertEquals(-0.0621, ci.estimate(), 5e-5);
    assertEquals(-0.1186, ci.low(), 5e-5);
    assertEquals(-0.0046, ci.high(), 5e-5);
  }

  /**
   * By hand, a=5 b=3 c=0 d=2 (n=10): p1 = 8/10, p2 = 5/10, theta = 0.3.
   * Wilson 95%: 8/10 -> [0.490162, 0.943318]; 5/10 -> [0.236593, 0.763407].
   * ad - bc = 10 > n/2 = 5, margins 8·2·5·5 = 400: phi = (10 - 5)/sqrt(400) = 0.25.
   * L = 0.3 - sqrt(0.309838² - 2·0.25·0.309838·0.263407 + 0.263407²) = 0.3 - sqrt(0.124576) = -0.052953.
   * U = 0.3 + sqrt(0.143318² - 2·0.25·0.143318·0.263407 + 0.263407²) = 0.3 + sqrt(0.071048) = 0.566548.
   */
  @Test
  void matchesHandComputation() {
    assertEquals(0.25, Newcombe.phi(5, 3, 0, 2), 1e-15);
    Newcombe ci = Newcombe.of95(5, 3, 0, 2);
    assertEquals(0.3, ci.estimate(), 1e-15);
    assertEquals(-0.052953, ci.low(), 1e-6);
    assertEquals(0.566548, ci.high(), 1e-6);
  }

  /**
   * Cross-checked against an independent Python implementation of the same formulas (z = 1.959963984540054).
   * Rows: a, b, c, d, estimate, low, high.
   */
  @ParameterizedTest
  @CsvSource({
    // Airway hyper-responsiveness (Bentur et al. 2009), 0 <= ad - bc <= n/2, so phi = 0.
    "1, 1, 7, 12, -0.2857143, -0.5069202, -0.0255591",
    // No discordant pairs: the interval is symmetric around 0.
    "40, 0, 0, 60, 0.0, -0.0206077, 0.0206077",
    // All right / all wrong: phi = 0 (an empty margin), the interval is ±(1 - Wilson low of 10/10).
    "10, 0, 0, 0, 0.0, -0.2775328, 0.2775328",
    "0, 0, 0, 10, 0.0, -0.2775328, 0.2775328",
    // n = 1, each possible pair.
    "1, 0, 0, 0, 0.0, -0.7934507, 0.7934507",
    "0, 1, 0, 0, 1.0, -0.1221087, 1.0",
    "0, 0, 1, 0, -1.0, -1.0, 0.1221087",
    "0, 0, 0, 1, 0.0, -0.7934507, 0.7934507",
    // A 3-point gain on 100 instances, all discordant pairs in the candidate's favour.
    "57, 3, 0, 40, 0.03, -0.0086187, 0.0684793",
  })
  void matchesIndependentComputation(long a, long b, long c, long d, double est, double low, double high) {
    Newcombe ci = Newcombe.of95(a, b, c, d);
    assertEquals(est, ci.estimate(), 1e-7);
    assertEquals(low, ci.low(), 1e-7);
    assertEquals(high, ci.high(), 1e-7);
  }

  @Test
  void phiFollowsNewcombesThreeCases() {
    // ad - bc = 12 - 7 = 5 <= n/2 = 10.5: 0.
    assertEquals(0.0, Newcombe.phi(1, 1, 7, 12), 0);
    // ad - bc = -25 < 0: -25/sqrt(5·5·5·5) = -1.
    assertEquals(-1.0, Newcombe.phi(0, 5, 5, 0), 1e-15);
    // An empty margin: 0.
    assertEquals(0.0, Newcombe.phi(3, 0, 0, 0), 0);
  }

  /** Every table up to n = 12: the interval contains the estimate, lies in [-1, 1], and mirrors under b <-> c. */
  @Test
  void everySmallTableGivesAValidInterval() {
    int tables = 0;
    for (int n = 1; n <= 12; n++) {
      for (int a = 0; a <= n; a++) {
        for (int b = 0; a + b <= n; b++) {
          for (int c = 0; a + b + c <= n; c++) {
            int d = n - a - b - c;
            Newcombe ci = Newcombe.of95(a, b, c, d);
            String t = a + "," + b + "," + c + "," + d + " -> " + ci;
            assertEquals((double) (b - c) / n, ci.estimate(), 1e-15, t);
            assertTrue(-1 <= ci.low() && ci.low() <= ci.estimate() && ci.estimate() <= ci.high() && ci.high() <= 1,
                t);
            assertTrue(ci.low() < ci.high(), t);
            Newcombe mirror = Newcombe.of95(a, c, b, d);
            assertEquals(-ci.high(), mirror.low(), 1e-12, t);
            assertEquals(-ci.low(), mirror.high(), 1e-12, t);
            tables++;
          }
        }
      }
    }
    assertEquals(1819, tables);
  }

  @Test
  void rejectsImpossibleTables() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Newcombe.of95(0, 0, 0, 0));
    assertEquals("need at least one pair, got n=0", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Newcombe.of95(-1, 2, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> Newcombe.of(1, 2, 0, 0, 0));
  }

  /** Pairing's interval is for candidate minus baseline: b01 (only the candidate right) is Newcombe's b. */
  @Test
  void pairingIntervalIsCandidateMinusBaseline() {
    Pairing p = new Pairing(100, 57, 60, 3, 0);
    assertEquals(0.03, p.delta(), 1e-15);
    assertEquals(-0.0086187, p.ci95().low(), 1e-7);
    assertEquals(0.0684793, p.ci95().high(), 1e-7);
    Pairing pooled = Pairing.pooled(java.util.List.of(p, p));
    // Pooled: the summed table 114, 6, 0, 80.
    assertEquals(Newcombe.of95(114, 6, 0, 80), pooled.ci95());
  }
}
