package dev.lddm.tasks.arith;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Exhaustive, exact, deterministic solver: repeatedly combines two available values with one operation
 * until one value is left, memoising multisets already shown to be dead ends.
 *
 * <p>Output forms (both verify as {@link dev.lddm.tasks.Verdict#CORRECT}):
 *
 * <ul>
 *   <li>{@link #integerTrace}: a Countdown step trace such as {@code 86+28=114,31-13=18,114-18=96};
 *       every step writes the larger operand first, results are non-negative integers, divisions exact.
 *   <li>{@link #rationalExpression}: an infix expression with minimal parentheses, e.g.
 *       {@code 8/(3-8/3)}, over exact rationals (any sign).
 * </ul>
 *
 * <p>The search order is fixed (pairs in pool order, then {@code + - * /}, results appended), so the same
 * puzzle always gives the same answer. Integer search uses {@code long}; a step that would overflow is
 * skipped, which cannot lose a solution for {@link NumberPuzzle} bounds (a value above 2^63 built from at most
 * 6 numbers of at most 10^6 can never come back down to a target of at most 10^6).
 */
public final class Solver {
  private Solver() {}

  /** An integer step trace when one exists, else a rational infix expression, else empty. */
  public static Optional<String> solve(NumberPuzzle puzzle) {
    Optional<String> trace = integerTrace(puzzle);
    return trace.isPresent() ? trace : rationalExpression(puzzle);
  }

  /** A step trace under {@link Rules#COUNTDOWN} that uses every number once and ends at the target. */
  public static Optional<String> integerTrace(NumberPuzzle puzzle) {
    long[] pool = puzzle.numbers().stream().mapToLong(Integer::longValue).toArray();
    long[] steps = new long[3 * pool.length];
    if (!integerSearch(pool, puzzle.target(), steps, new HashSet<>())) {
      return Optional.empty();
    }
    StringBuilder b = new StringBuilder();
    for (int s = 0; s < pool.length - 1; s++) {
      long hi = steps[3 * s];
      long op = steps[3 * s + 1];
      long lo = steps[3 * s + 2];
      long c = switch ((char) op) {
        case '+' -> hi + lo;
        case '-' -> hi - lo;
        case '*' -> hi * lo;
        default -> hi / lo;
      };
      b.append(s == 0 ? "" : ",").append(hi).append((char) op).append(lo).append('=').append(c);
    }
    return Optional.of(b.toString());
  }

  /** An infix expression under {@link Rules#RATIONAL} that uses every number once and equals the target. */
  public static Optional<String> rationalExpression(NumberPuzzle puzzle) {
    try {
      Fraction[] pool = puzzle.numbers().stream().map(n -> Fraction.leaf(n)).toArray(Fraction[]::new);
      Fraction found = fractionSearch(pool, puzzle.target(), new HashSet<>());
      return Optional.ofNullable(found).map(f -> f.toNode().text());
    } catch (ArithmeticException overflow) {
      // Fall back to exact BigInteger search; only reachable for puzzles far outside the task ranges.
    }
    List<Node> pool = new ArrayList<>();
    for (int n : puzzle.numbers()) {
      pool.add(new Node(Rational.of(n), Integer.toString(n), ATOM));
    }
    Node found = rationalSearch(pool, Rational.of(puzzle.target()), new HashSet<>());
    return Optional.ofNullable(found).map(Node::text);
  }

  /**
   * A {@code long} fraction (normalised, positive denominator) with the expression tree that made it; the
   * text is only built for the answer. Arithmetic throws {@link ArithmeticException} on overflow.
   */
  private record Fraction(long num, long den, Fraction left, char op, Fraction right) {
    static Fraction leaf(long n) {
      return new Fraction(n, 1, null, (char) 0, null);
    }

    static Fraction make(long num, long den, Fraction left, char op, Fraction right) {
      if (den < 0) {
        num = Math.negateExact(num);
        den = Math.negateExact(den);
      }
      long g = gcd(Math.abs(num), den);
      if (g > 1) {
        num /= g;
        den /= g;
      }
      return new Fraction(num, den, left, op, right);
    }

    Node toNode() {
      if (left == null) {
        return new Node(Rational.of(num), Long.toString(num), ATOM);
      }
      return join(left.toNode(), op, right.toNode(), Rational.of(num, den));
    }
  }

  private static long gcd(long a, long b) {
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return a == 0 ? 1 : a;
  }

  private static Fraction fractionSearch(Fraction[] pool, long target, Set<Key> dead) {
    int n = pool.length;
    if (n == 1) {
      return pool[0].den() == 1 && pool[0].num() == target ? pool[0] : null;
    }
    Fraction[] sorted = pool.clone();
    Arrays.sort(sorted, (x, y) -> x.num() != y.num() ? Long.compare(x.num(), y.num()) : Long.compare(x.den(), y.den()));
    long[] flat = new long[2 * n];
    for (int k = 0; k < n; k++) {
      flat[2 * k] = sorted[k].num();
      flat[2 * k + 1] = sorted[k].den();
    }
    Key key = new Key(flat);
    if (dead.contains(key)) {
      return null;
    }
    Fraction[] next = new Fraction[n - 1];
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        int m = 0;
        for (int k = 0; k < n; k++) {
          if (k != i && k != j) {
            next[m++] = pool[k];
          }
        }
        Fraction a = pool[i];
        Fraction b = pool[j];
        long ad = Math.multiplyExact(a.num(), b.den());
        long bc = Math.multiplyExact(b.num(), a.den());
        long dd = Math.multiplyExact(a.den(), b.den());
        for (int o = 0; o < 6; o++) {
          Fraction c = switch (o) {
            case 0 -> Fraction.make(Math.addExact(ad, bc), dd, a, '+', b);
            case 1 -> Fraction.make(Math.subtractExact(ad, bc), dd, a, '-', b);
            case 2 -> Fraction.make(Math.subtractExact(bc, ad), dd, b, '-', a);
            case 3 -> Fraction.make(Math.multiplyExact(a.num(), b.num()), dd, a, '*', b);
            case 4 -> bc == 0 ? null : Fraction.make(ad, bc, a, '/', b);
            default -> ad == 0 ? null : Fraction.make(bc, ad, b, '/', a);
          };
          if (c == null) {
            continue;
          }
          next[n - 2] = c;
          Fraction found = fractionSearch(next.clone(), target, dead);
          if (found != null) {
            return found;
          }
        }
      }
    }
    dead.add(key);
    return null;
  }

  /** Depth-first search; on success {@code steps} holds (hi, op, lo) triples, step {@code s} at {@code 3s}. */
  private static boolean integerSearch(long[] pool, long target, long[] steps, Set<Key> dead) {
    int n = pool.length;
    if (n == 1) {
      return pool[0] == target;
    }
    Key key = Key.of(pool);
    if (dead.contains(key)) {
      return false;
    }
    long[] next = new long[n - 1];
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        int m = 0;
        for (int k = 0; k < n; k++) {
          if (k != i && k != j) {
            next[m++] = pool[k];
          }
        }
        long hi = Math.max(pool[i], pool[j]);
        long lo = Math.min(pool[i], pool[j]);
        for (char op : OPS) {
          long c;
          try {
            c = switch (op) {
              case '+' -> Math.addExact(hi, lo);
              case '-' -> hi - lo;
              case '*' -> Math.multiplyExact(hi, lo);
              default -> lo != 0 && hi % lo == 0 ? hi / lo : -1;
            };
          } catch (ArithmeticException overflow) {
            continue;
          }
          if (c < 0) {
            continue;
          }
          next[n - 2] = c;
          int s = 3 * (steps.length / 3 - n);
          steps[s] = hi;
          steps[s + 1] = op;
          steps[s + 2] = lo;
          if (integerSearch(next.clone(), target, steps, dead)) {
            return true;
          }
        }
      }
    }
    dead.add(key);
    return false;
  }

  private static final char[] OPS = {'+', '-', '*', '/'};
  private static final int SUM = 1;
  private static final int PRODUCT = 2;
  private static final int ATOM = 3;

  /** A value with its infix text and the precedence of its top operator. */
  private record Node(Rational value, String text, int precedence) {}

  private static Node rationalSearch(List<Node> pool, Rational target, Set<List<Rational>> dead) {
    int n = pool.size();
    if (n == 1) {
      return pool.get(0).value().equals(target) ? pool.get(0) : null;
    }
    List<Rational> key = pool.stream().map(Node::value).sorted().toList();
    if (dead.contains(key)) {
      return null;
    }
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        Node a = pool.get(i);
        Node b = pool.get(j);
        List<Node> rest = new ArrayList<>(n - 1);
        for (int k = 0; k < n; k++) {
          if (k != i && k != j) {
            rest.add(pool.get(k));
          }
        }
        for (Node c : combinations(a, b)) {
          rest.add(c);
          Node found = rationalSearch(rest, target, dead);
          if (found != null) {
            return found;
          }
          rest.remove(n - 2);
        }
      }
    }
    dead.add(key);
    return null;
  }

  private static List<Node> combinations(Node a, Node b) {
    List<Node> out = new ArrayList<>(6);
    out.add(join(a, '+', b, a.value().add(b.value())));
    out.add(join(a, '-', b, a.value().subtract(b.value())));
    out.add(join(b, '-', a, b.value().subtract(a.value())));
    out.add(join(a, '*', b, a.value().multiply(b.value())));
    if (b.value().signum() != 0) {
      out.add(join(a, '/', b, a.value().divide(b.value())));
    }
    if (a.value().signum() != 0) {
      out.add(join(b, '/', a, b.value().divide(a.value())));
    }
    return out;
  }

  private static Node join(Node left, char op, Node right, Rational value) {
    int prec = op == '+' || op == '-' ? SUM : PRODUCT;
    String l = left.precedence() < prec ? "(" + left.text() + ")" : left.text();
    boolean wrapRight = right.precedence() < prec
        || (right.precedence() == prec && (op == '-' || op == '/'));
    String r = wrapRight ? "(" + right.text() + ")" : right.text();
    return new Node(value, l + op + r, prec);
  }

  /** A pool as a sorted multiset, for memoising dead ends. */
  private record Key(long[] sorted) {
    static Key of(long[] pool) {
      long[] s = pool.clone();
      Arrays.sort(s);
      return new Key(s);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Arrays.equals(sorted, k.sorted);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(sorted);
    }

    @Override
    public String toString() {
      return Arrays.toString(sorted);
    }
  }
}
