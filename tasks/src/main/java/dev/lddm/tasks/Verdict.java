package dev.lddm.tasks;

import java.util.regex.Pattern;

/**
 * The strict verdict on an answer: a short upper-case name that a task defines ({@code CORRECT},
 * {@code WRONG_NUMBERS}, {@code WRONG_CELL}, ...), written as is to {@code predictions.csv} and
 * {@code lddm verify}'s output. Exactly one verdict is correct, {@link #CORRECT}; every task also uses
 * {@link #MALFORMED} for answers it cannot read. A wrong or unparseable model answer is a verdict, never an
 * exception.
 *
 * <p>An open type rather than an enum: a task (a plug-in in its own jar, too) names the ways an answer
 * can be wrong in its own terms, and lists them in {@link Task#verdicts()}.
 *
 * @param name upper-case letters, digits and {@code _}, starting with a letter, at most 40 characters
 */
public record Verdict(String name) {
  private static final Pattern NAME = Pattern.compile("[A-Z][A-Z0-9_]{0,39}");

  /** The one correct verdict: the answer is right, exactly. */
  public static final Verdict CORRECT = new Verdict("CORRECT");
  /** The answer (or the puzzle) cannot be read at all: wrong characters, wrong shape, wrong length. */
  public static final Verdict MALFORMED = new Verdict("MALFORMED");

  /**
   * @throws IllegalArgumentException when the name is not upper-case letters, digits and {@code _}
   *     starting with a letter, at most 40 characters
   */
  public Verdict {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("verdict name must be upper-case letters, digits and _ (starting with a "
          + "letter, at most 40), got " + (name == null ? "null" : "'" + abbreviate(name) + "'"));
    }
  }

  /** The verdict with this name (see the constructor for what a name may be). */
  public static Verdict of(String name) {
    return new Verdict(name);
  }

  /** Whether a name is a well-formed verdict name (so {@link #of} accepts it). */
  public static boolean isName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /** Whether this is {@link #CORRECT}. */
  public boolean isCorrect() {
    return name.equals(CORRECT.name);
  }

  /** The name, as written to files. */
  @Override
  public String toString() {
    return name;
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }
}
