package dev.lddm.tasks;

import static java.util.Objects.requireNonNull;

/**
 * One generated instance in MGDM's data format: the puzzle as {@code input} ({@code a,b,c,d,target})
 * and a reference answer as {@code output} (a step trace such as {@code 86+28=114,31-13=18,114-18=96}).
 */
public record Example(String input, String output) {
  public Example {
    requireNonNull(input, "input");
    requireNonNull(output, "output");
  }

  /**
   * The JSON line exactly as MGDM's files spell it: {@code {"input": "...", "output": "..."}}. Inputs and
   * outputs only hold digits, operators and commas, so no escaping is ever needed; anything else is
   * escaped as JSON requires.
   */
  public String toJsonLine() {
    return "{\"input\": " + Json.quote(input) + ", \"output\": " + Json.quote(output) + "}";
  }

  /** Parses a line written by {@link #toJsonLine()} (or MGDM's files). */
  public static Example fromJsonLine(String line) {
    return Json.parseExample(line);
  }
}
