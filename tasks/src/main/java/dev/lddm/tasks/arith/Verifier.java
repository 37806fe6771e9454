package dev.lddm.tasks.arith;

import dev.lddm.tasks.Verdict;
import dev.lddm.tasks.Verification;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The strict, exact verifier, and MGDM's lenient metric. Both never throw on any answer string.
 *
 * <h2>Accepted answers</h2>
 *
 * <ul>
 *   <li>A step trace {@code a op b=c,a op b=c,...} (MGDM's output form). More generally each comma-separated
 *       step is {@code expr=c}: the literals of {@code expr} are taken from the pool of available numbers
 *       (initially the puzzle's numbers as a multiset), and the stated result {@code c} is added to it.
 *   <li>A single infix expression such as {@code 8/(3-8/3)}, optionally followed by {@code =24}.
 * </ul>
 *
 * <p>Correct means: every literal was available when used, every step is exact and allowed by the
 * {@link Rules}, each stated result equals its expression's value, exactly one value remains at the end
 * (every number used exactly once) and it equals the target.
 *
 * <h2>Verdict precedence</h2>
 *
 * <ol>
 *   <li>{@link Verdict#MALFORMED}: the whole answer is parsed before any arithmetic (see the grammar in
 *       {@code AnswerParser}: no letters, decimal points, unary minus, {@code **}, leading zeros, empty
 *       steps, unbalanced parentheses).
 *   <li>Then the steps in order; the first failing step decides. Within a step, number usage is checked
 *       before arithmetic, so at most as many operations are ever evaluated as the puzzle has numbers
 *       (this bounds the work on hostile input):
 *       <ol>
 *         <li>{@link #WRONG_NUMBERS}: a literal that is neither an unused puzzle number nor an
 *             unused earlier result (a reused, foreign or invented number);
 *         <li>{@link #INVALID_STEP}: division by zero, a Countdown intermediate that is negative or
 *             not an integer, or a stated result that differs from the expression's value.
 *       </ol>
 *   <li>{@link #WRONG_NUMBERS}: numbers or results left unused at the end.
 *   <li>{@link #WRONG_VALUE}: the final value is not the target.
 * </ol>
 */
public final class Verifier {
  /** A well-formed, valid computation whose final value is not the target. */
  public static final Verdict WRONG_VALUE = Verdict.of("WRONG_VALUE");
  /** A number is missing, used more often than given, or not in the puzzle at all. */
  public static final Verdict WRONG_NUMBERS = Verdict.of("WRONG_NUMBERS");
  /**
   * A step's stated result is wrong, a division by zero, or (Countdown) an intermediate that is not a
   * non-negative integer.
   */
  public static final Verdict INVALID_STEP = Verdict.of("INVALID_STEP");
  /**
   * Every verdict of {@link #verify}, in report order: {@link Verdict#CORRECT}, {@link #WRONG_VALUE},
   * {@link #WRONG_NUMBERS}, {@link #INVALID_STEP}, {@link Verdict#MALFORMED} (not parseable: unknown
   * characters, {@code **}, unary minus, decimal points, unbalanced parentheses).
   */
  public static final List<Verdict> VERDICTS =
      List.of(Verdict.CORRECT, WRONG_VALUE, WRONG_NUMBERS, INVALID_STEP, Verdict.MALFORMED);

  /** Literals longer than this cannot be in any pool (puzzle values are at most 7 digits, 6 numbers). */
  private static final int MAX_LITERAL_DIGITS = 60;

  private Verifier() {}

  /**
   * The strict verdict on an answer.
   *
   * @param rules {@link Rules#COUNTDOWN} or {@link Rules#RATIONAL}
   * @return a verdict with a short detail; never throws for any {@code answer}, including {@code null}
   */
  public static Verification verify(NumberPuzzle puzzle, String answer, Rules rules) {
    AnswerParser.Parsed parsed = AnswerParser.parse(answer);
    if (!parsed.ok()) {
      return Verification.of(Verdict.MALFORMED, parsed.error());
    }
    List<AnswerParser.Segment> segments = parsed.segments();
    Map<Rational, Integer> pool = new HashMap<>();
    Map<Rational, Integer> given = new HashMap<>();
    Map<Rational, Integer> used = new HashMap<>();
    for (int n : puzzle.numbers()) {
      pool.merge(Rational.of(n), 1, Integer::sum);
      given.merge(Rational.of(n), 1, Integer::sum);
    }
    Rational last = null;
    for (int k = 0; k < segments.size(); k++) {
      AnswerParser.Segment seg = segments.get(k);
      if (seg.stated() == null && segments.size() > 1) {
        return Verification.of(Verdict.MALFORMED, "step " + (k + 1) + " has no '='");
      }
      String label = seg.stated() == null ? "" : "step " + (k + 1) + ": ";
      for (String literal : seg.literals()) {
        if (literal.length() > MAX_LITERAL_DIGITS) {
          return Verification.of(
              WRONG_NUMBERS, label + "number " + AnswerParser.abbreviate(literal) + " is not in the puzzle");
        }
        Rational r = Rational.of(new BigInteger(literal));
        int uses = used.merge(r, 1, Integer::sum);
        int available = pool.getOrDefault(r, 0);
        if (available == 0) {
          int times = given.getOrDefault(r, 0);
          String detail = times == 0
              ? "number " + literal + " is not in the puzzle"
              : "number " + literal + " used " + uses + " times, given " + times;
          return Verification.of(WRONG_NUMBERS, label + detail);
        }
        if (available == 1) {
          pool.remove(r);
        } else {
          pool.put(r, available - 1);
        }
      }
      Deque<Rational> stack = new ArrayDeque<>();
      for (AnswerParser.Item item : seg.postfix()) {
        if (item.isLiteral()) {
          stack.push(Rational.of(new BigInteger(item.literal())));
          continue;
        }
        Rational b = stack.pop();
        Rational a = stack.pop();
        String opText = a + String.valueOf(item.op()) + b;
        Rational c;
        switch (item.op()) {
          case '+' -> c = a.add(b);
          case '-' -> c = a.subtract(b);
          case '*' -> c = a.multiply(b);
          default -> {
            if (b.signum() == 0) {
              return Verification.of(INVALID_STEP, label + "division by zero in " + opText);
            }
            c = a.divide(b);
          }
        }
        if (rules == Rules.COUNTDOWN && c.signum() < 0) {
          return Verification.of(INVALID_STEP, label + opText + "=" + c + " is negative");
        }
        if (rules == Rules.COUNTDOWN && !c.isInteger()) {
          return Verification.of(INVALID_STEP, label + opText + "=" + c + " is not an integer");
        }
        stack.push(c);
      }
      Rational value = stack.pop();
      if (seg.stated() != null) {
        String stated = seg.stated();
        boolean equal = stated.length() <= MAX_LITERAL_DIGITS
            && Rational.of(new BigInteger(stated)).equals(value);
        if (!equal) {
          String lhs = AnswerParser.abbreviate(seg.text().substring(0, seg.text().indexOf('=')).strip());
          return Verification.of(INVALID_STEP,
              label + lhs + "=" + AnswerParser.abbreviate(stated) + " but " + lhs + "=" + value);
        }
      }
      pool.merge(value, 1, Integer::sum);
      last = value;
    }
    pool.merge(last, -1, Integer::sum);
    pool.values().removeIf(v -> v == 0);
    if (!pool.isEmpty()) {
      List<String> left = new ArrayList<>();
      new TreeMap<>(pool).forEach((r, times) -> {
        for (int t = 0; t < times; t++) {
          left.add(r.toString());
        }
      });
      return Verification.of(WRONG_NUMBERS, "unused: " + String.join(", ", left));
    }
    if (!last.equals(Rational.of(puzzle.target()))) {
      return Verification.of(WRONG_VALUE, "value " + last + ", target " + puzzle.target());
    }
    return Verification.correct();
  }

  private static final Pattern MGDM_LEFT_PREFIX = Pattern.compile("^[0-9]+[-+*/][0-9]+");
  private static final Pattern FLOAT_LITERAL = Pattern.compile("\\s*([+-]?)([0-9]+)(?:\\.([0-9]*))?\\s*");

  /**
   * MGDM's lenient Countdown accuracy, re-implemented from {@code compute_acc}/{@code check_eq} in
   * HKUNLP/diffusion-vs-ar, {@code src/llmtuner/tuner/core/metric.py}: the answer is split on {@code ,}
   * (empty pieces included); every piece must split on {@code =} into exactly two parts; the left part must
   * start with {@code digits op digits} and evaluate (the whole left part, as Python's {@code eval} does) to
   * the right part; and the text after the answer's last {@code =} must equal the target's decimal string
   * exactly (MGDM compares it with the reference output's last {@code =} field, which is the target). Which
   * numbers are used is not checked, and {@code /} is true division, so {@code 7/2=3.5} is a valid step.
   *
   * <p>Deliberate differences: values are compared exactly instead of as Python floats; the left part must
   * be in our grammar ({@code + - * /}, parentheses, no leading zeros), so Python-only syntax such as
   * {@code **}, {@code //} or {@code %} counts as wrong; the right part may be a decimal number with an
   * optional sign and surrounding whitespace (Python's {@code float} also takes exponents, {@code inf},
   * {@code nan}, which we reject). Never throws.
   */
  public static boolean lenientCorrect(NumberPuzzle puzzle, String answer) {
    if (answer == null) {
      return false;
    }
    int start = 0;
    int n = answer.length();
    for (int i = 0; i <= n; i++) {
      if (i == n || answer.charAt(i) == ',') {
        if (!lenientStep(answer.substring(start, i))) {
          return false;
        }
        start = i + 1;
      }
    }
    return answer.substring(answer.lastIndexOf('=') + 1).equals(Integer.toString(puzzle.target()));
  }

  private static boolean lenientStep(String step) {
    int eq = step.indexOf('=');
    if (eq < 0 || step.indexOf('=', eq + 1) >= 0) {
      return false;
    }
    String left = step.substring(0, eq);
    String right = step.substring(eq + 1);
    if (!MGDM_LEFT_PREFIX.matcher(left).lookingAt()) {
      return false;
    }
    var matcher = FLOAT_LITERAL.matcher(right);
    if (right.length() > MAX_LITERAL_DIGITS + 10 || !matcher.matches()) {
      return false;
    }
    Rational stated = Rational.of(new BigInteger(matcher.group(2)));
    String fraction = matcher.group(3);
    if (fraction != null && !fraction.isEmpty()) {
      stated = stated.add(new Rational(new BigInteger(fraction), BigInteger.TEN.pow(fraction.length())));
    }
    if (matcher.group(1).equals("-")) {
      stated = Rational.ZERO.subtract(stated);
    }
    Rational value = evaluate(left);
    return value != null && value.equals(stated);
  }

  /**
   * The exact value of an infix expression under {@link Rules#RATIONAL}, or {@code null} when it is
   * malformed, divides by zero, or is too long to be a plausible answer (over 10,000 characters or 60-digit
   * literals). Never throws.
   */
  public static Rational evaluate(String expression) {
    if (expression == null || expression.length() > 10_000) {
      return null;
    }
    Object parsed = AnswerParser.parseExpression(expression);
    if (!(parsed instanceof AnswerParser.Segment seg) || seg.literals().size() > 64) {
      return null;
    }
    Deque<Rational> stack = new ArrayDeque<>();
    for (AnswerParser.Item item : seg.postfix()) {
      if (item.isLiteral()) {
        if (item.literal().length() > MAX_LITERAL_DIGITS) {
          return null;
        }
        stack.push(Rational.of(new BigInteger(item.literal())));
        continue;
      }
      Rational b = stack.pop();
      Rational a = stack.pop();
      switch (item.op()) {
        case '+' -> stack.push(a.add(b));
        case '-' -> stack.push(a.subtract(b));
        case '*' -> stack.push(a.multiply(b));
        default -> {
          if (b.signum() == 0) {
            return null;
          }
          stack.push(a.divide(b));
        }
      }
    }
    return stack.pop();
  }
}
