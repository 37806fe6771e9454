package dev.lddm.tasks.arith;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Parses answers without recursion (shunting-yard with explicit stacks), so arbitrarily deep parentheses
 * and very long inputs take linear time and cannot overflow the call stack.
 *
 * <p>Grammar: {@code answer := segment (',' segment)*}, {@code segment := expr ['=' number]},
 * {@code expr} over non-negative decimal integers, binary {@code + - * /} (usual precedence, left
 * associative) and parentheses. Whitespace between tokens is ignored. Rejected (an {@link Error}):
 * unknown characters (letters, {@code .}, {@code ^}, ...), unary minus, {@code **}, leading zeros
 * ({@code 024}; Python rejects them too), empty segments, unbalanced parentheses.
 */
final class AnswerParser {
  /** A token of an expression in postfix order: a literal (op is 0) or a binary operator. */
  record Item(char op, String literal) {
    boolean isLiteral() {
      return op == 0;
    }
  }

  /** One {@code expr[=stated]} segment: postfix items, the literals in source order, the stated result. */
  record Segment(String text, List<Item> postfix, List<String> literals, String stated) {}

  /** A parse outcome: segments, or the reason the answer is malformed. */
  record Parsed(List<Segment> segments, String error) {
    boolean ok() {
      return error == null;
    }
  }

  private AnswerParser() {}

  static Parsed parse(String answer) {
    if (answer == null || answer.isBlank()) {
      return fail("empty answer");
    }
    List<Segment> segments = new ArrayList<>();
    int start = 0;
    int n = answer.length();
    for (int i = 0; i <= n; i++) {
      if (i == n || answer.charAt(i) == ',') {
        String text = answer.substring(start, i);
        Object seg = parseSegment(text, start, segments.size() + 1);
        if (seg instanceof String error) {
          return fail(error);
        }
        segments.add((Segment) seg);
        start = i + 1;
      }
    }
    return new Parsed(List.copyOf(segments), null);
  }

  /** Parses a lone expression (no {@code =} or {@code ,}); returns a Segment or an error String. */
  static Object parseExpression(String text) {
    if (text.indexOf('=') >= 0 || text.indexOf(',') >= 0) {
      return "'=' or ',' inside an expression";
    }
    return parseSegment(text, 0, 1);
  }

  private static Parsed fail(String error) {
    return new Parsed(List.of(), error);
  }

  private static String where(char c, int pos) {
    return "'" + c + "' at " + pos;
  }

  /** Returns a Segment or an error String. */
  private static Object parseSegment(String text, int offset, int index) {
    String label = "step " + index + ": ";
    int eq = text.indexOf('=');
    String exprText = eq < 0 ? text : text.substring(0, eq);
    String stated = null;
    if (eq >= 0) {
      if (text.indexOf('=', eq + 1) >= 0) {
        return label + "more than one '='";
      }
      stated = text.substring(eq + 1).strip();
      if (stated.isEmpty()) {
        return label + "nothing after '='";
      }
      for (int i = 0; i < stated.length(); i++) {
        char c = stated.charAt(i);
        if (c < '0' || c > '9') {
          return label + "stated result must be a non-negative integer, got " + describe(c, -1);
        }
      }
      if (stated.length() > 1 && stated.charAt(0) == '0') {
        return label + "leading zero in " + abbreviate(stated);
      }
    }
    List<Item> out = new ArrayList<>();
    List<String> literals = new ArrayList<>();
    Deque<Character> ops = new ArrayDeque<>();
    boolean expectOperand = true;
    char previous = 0;
    int i = 0;
    int n = exprText.length();
    while (i < n) {
      char c = exprText.charAt(i);
      int pos = offset + i;
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        i++;
        continue;
      }
      if (c >= '0' && c <= '9') {
        int j = i;
        while (j < n && exprText.charAt(j) >= '0' && exprText.charAt(j) <= '9') {
          j++;
        }
        if (!expectOperand) {
          return label + "missing operator before the number at " + pos;
        }
        String literal = exprText.substring(i, j);
        if (literal.length() > 1 && literal.charAt(0) == '0') {
          return label + "leading zero in " + abbreviate(literal);
        }
        out.add(new Item((char) 0, literal));
        literals.add(literal);
        expectOperand = false;
        previous = '0';
        i = j;
        continue;
      }
      switch (c) {
        case '(' -> {
          if (!expectOperand) {
            return label + "missing operator before " + where(c, pos);
          }
          ops.push(c);
        }
        case ')' -> {
          if (expectOperand) {
            return label + "missing operand before " + where(c, pos);
          }
          while (!ops.isEmpty() && ops.peek() != '(') {
            out.add(new Item(ops.pop(), null));
          }
          if (ops.isEmpty()) {
            return label + "unbalanced " + where(c, pos);
          }
          ops.pop();
        }
        case '+', '-', '*', '/' -> {
          if (expectOperand) {
            if (c == '*' && previous == '*') {
              return label + "'**' is not an operator (at " + (pos - 1) + ")";
            }
            if (c == '-') {
              return label + "unary minus is not allowed (at " + pos + ")";
            }
            return label + "operator " + where(c, pos) + " has no left operand";
          }
          int prec = precedence(c);
          while (!ops.isEmpty() && ops.peek() != '(' && precedence(ops.peek()) >= prec) {
            out.add(new Item(ops.pop(), null));
          }
          ops.push(c);
          expectOperand = true;
        }
        default -> {
          return label + "unexpected " + describe(c, pos);
        }
      }
      previous = c;
      i++;
    }
    if (out.isEmpty()) {
      return label + "empty expression";
    }
    if (expectOperand) {
      return label + "expression ends with an operator or '('";
    }
    while (!ops.isEmpty()) {
      char op = ops.pop();
      if (op == '(') {
        return label + "unbalanced '('";
      }
      out.add(new Item(op, null));
    }
    return new Segment(text.strip(), out, literals, stated);
  }

  private static int precedence(char op) {
    return op == '*' || op == '/' ? 2 : 1;
  }

  private static String describe(char c, int pos) {
    String at = pos >= 0 ? " at " + pos : "";
    if (c == '.') {
      return "decimal point" + at;
    }
    if (c >= 0x20 && c < 0x7f) {
      return "character '" + c + "'" + at;
    }
    return String.format(java.util.Locale.ROOT, "character U+%04X", (int) c) + at;
  }

  static String abbreviate(String s) {
    return s.length() <= 24 ? s : s.substring(0, 21) + "...";
  }
}
