package dev.lddm.harness.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StatsTest {
  /** Wilson 95% bounds (no continuity correction), the well-known 0/10 and 5/10 values and a Python cross-check. */
  @ParameterizedTest
  @CsvSource({
    "0, 10, 0.0, 0.2775328",
    "5, 10, 0.2365931, 0.7634069",
    "10, 10, 0.7224672, 1.0",
    "81, 100, 0.7222115, 0.8748525",
  })
  void wilsonMatchesReference(long k, long n, double low, double high) {
    Wilson w = Wilson.of95(k, n);
    assertEquals(low, w.low(), 1e-6);
    assertEquals(high, w.high(), 1e-6);
  }

  @Test
  void wilsonRejectsImpossibleCounts() {
    assertThrows(IllegalArgumentException.class, () -> Wilson.of95(11, 10));
    assertThrows(IllegalArgumentException.class, () -> Wilson.of95(-1, 10));
  }

  /** Exact values: 2·Σ_{i≤k} C(n,i)/2^n. */
  @ParameterizedTest
  @CsvSource({
    "0, 0, 1.0",
    "0, 10, 0.001953125",
    "10, 0, 0.001953125",
    "3, 7, 0.34375",
    "5, 5, 1.0",
    "1, 1, 1.0",
  })
  void mcnemarExact(long b01, long b10, double p) {
    assertEquals(p, McNemar.exactPValue(b01, b10), 1e-12);
  }

  @Test
  void mcnemarLargeCountsStayFinite() {
    double p = McNemar.exactPValue(400, 600);
    assertEquals(true, p > 0 && p < 1e-9, "p=" + p);
  }
}
