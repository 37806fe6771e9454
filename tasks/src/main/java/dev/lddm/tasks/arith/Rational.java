package dev.lddm.tasks.arith;

import static java.util.Objects.requireNonNull;

import java.math.BigInteger;

/**
 * An exact rational number {@code numerator/denominator}, always normalised: the denominator is positive
 * and coprime to the numerator (zero is {@code 0/1}), so {@link #equals} is numeric equality.
 */
public record Rational(BigInteger numerator, BigInteger denominator) implements Comparable<Rational> {
  public static final Rational ZERO = new Rational(BigInteger.ZERO, BigInteger.ONE);
  public static final Rational ONE = new Rational(BigInteger.ONE, BigInteger.ONE);

  /**
   * Normalises sign and common factors.
   *
   * @throws IllegalArgumentException if {@code denominator} is zero
   */
  public Rational {
    requireNonNull(numerator, "numerator");
    requireNonNull(denominator, "denominator");
    if (denominator.signum() == 0) {
      throw new IllegalArgumentException("denominator must be non-zero, got 0");
    }
    if (denominator.signum() < 0) {
      numerator = numerator.negate();
      denominator = denominator.negate();
    }
    if (!denominator.equals(BigInteger.ONE)) {
      BigInteger g = numerator.gcd(denominator);
      if (!g.equals(BigInteger.ONE) && g.signum() != 0) {
        numerator = numerator.divide(g);
        denominator = denominator.divide(g);
      }
    }
    if (numerator.signum() == 0) {
      denominator = BigInteger.ONE;
    }
  }

  /** The integer {@code n}. */
  public static Rational of(long n) {
    return new Rational(BigInteger.valueOf(n), BigInteger.ONE);
  }

  /** The integer {@code n}. */
  public static Rational of(BigInteger n) {
    return new Rational(n, BigInteger.ONE);
  }

  /**
   * The fraction {@code numerator/denominator}.
   *
   * @throws IllegalArgumentException if {@code denominator} is zero
   */
  public static Rational of(long numerator, long denominator) {
    return new Rational(BigInteger.valueOf(numerator), BigInteger.valueOf(denominator));
  }

  public Rational add(Rational o) {
    return new Rational(
        numerator.multiply(o.denominator).add(o.numerator.multiply(denominator)),
        denominator.multiply(o.denominator));
  }

  public Rational subtract(Rational o) {
    return new Rational(
        numerator.multiply(o.denominator).subtract(o.numerator.multiply(denominator)),
        denominator.multiply(o.denominator));
  }

  public Rational multiply(Rational o) {
    return new Rational(numerator.multiply(o.numerator), denominator.multiply(o.denominator));
  }

  /**
   * The exact quotient.
   *
   * @throws ArithmeticException if {@code o} is zero
   */
  public Rational divide(Rational o) {
    if (o.signum() == 0) {
      throw new ArithmeticException("division by zero");
    }
    return new Rational(numerator.multiply(o.denominator), denominator.multiply(o.numerator));
  }

  /** {@code -1}, {@code 0} or {@code 1}. */
  public int signum() {
    return numerator.signum();
  }

  /** Whether the denominator is one. */
  public boolean isInteger() {
    return denominator.equals(BigInteger.ONE);
  }

  @Override
  public int compareTo(Rational o) {
    return numerator.multiply(o.denominator).compareTo(o.numerator.multiply(denominator));
  }

  /** {@code 7} for integers, {@code 8/3} or {@code -1/2} otherwise. */
  @Override
  public String toString() {
    return isInteger() ? numerator.toString() : numerator + "/" + denominator;
  }
}
