package dev.lddm.tasks;

/**
 * The strict verdict on an answer. A wrong or unparseable model answer is a verdict, never an
 * exception.
 */
public enum Verdict {
  /** Uses every number exactly once, every step is exact and allowed, and the value is the target. */
  CORRECT,
  /** A well-formed, valid computation whose final value is not the target. */
  WRONG_VALUE,
  /** A number is missing, used more often than given, or not in the puzzle at all. */
  WRONG_NUMBERS,
  /**
   * A step's stated result is wrong, a division by zero, or (Countdown) an intermediate that is not a
   * non-negative integer.
   */
  INVALID_STEP,
  /** Not parseable: unknown characters, {@code **}, unary minus, decimal points, unbalanced parentheses. */
  MALFORMED
}
