package dev.lddm.tasks.arith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RationalTest {
  @Test
  void normalisedAndExact() {
    assertEquals(Rational.of(1, 2), Rational.of(-3, -6));
    assertEquals("-1/2", Rational.of(3, -6).toString());
    assertEquals(Rational.ZERO, Rational.of(0, -5));
    assertEquals(Rational.of(24), Rational.of(8).divide(Rational.of(3).subtract(Rational.of(8, 3))));
    assertEquals(Rational.ONE, Rational.of(1, 3).multiply(Rational.of(3)));
    assertTrue(Rational.of(1, 3).compareTo(Rational.of(1, 2)) < 0);
    assertThrows(ArithmeticException.class, () -> Rational.ONE.divide(Rational.ZERO));
    assertThrows(IllegalArgumentException.class, () -> Rational.of(1, 0));
  }
}
