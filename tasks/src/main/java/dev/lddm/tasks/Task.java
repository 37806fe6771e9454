package dev.lddm.tasks;

import java.util.List;
import java.util.Optional;
import java.util.Spliterator;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A puzzle task: deterministic generation, an exhaustive solver and an exact verifier.
 *
 * <p>Implementations are immutable and thread-safe. Every random choice comes from the seed passed to
 * {@link #generate}: the same arguments always give the same examples, in the same order.
 */
public interface Task {
  /** Short registry name, e.g. {@code countdown4}. */
  String name();

  /** One line for {@code lddm tasks}. */
  String description();

  /** Length in tokens of a padded training sequence (MGDM: Countdown-3 37, -4 64, -5 74). */
  int sequenceLength();

  /**
   * The examples of a split, in generation order, lazily. Finite; the stream's size is the split's size.
   *
   * @param seed the generator seed (MGDM used 4)
   */
  Stream<Example> examples(Split split, long seed);

  /**
   * The first {@code count} examples of a split.
   *
   * @throws IllegalArgumentException if {@code count} is negative or larger than the split
   */
  default List<Example> generate(Split split, int count, long seed) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, got " + count);
    }
    Spliterator<Example> all = examples(split, seed).spliterator();
    long known = all.getExactSizeIfKnown();
    if (known >= 0 && count > known) {
      throw new IllegalArgumentException(
          "count " + count + " exceeds the " + known + " examples of " + name() + " " + split.id());
    }
    List<Example> out = StreamSupport.stream(all, false).limit(count).toList();
    if (out.size() < count) {
      throw new IllegalArgumentException(
          "count " + count + " exceeds the " + out.size() + " examples of " + name() + " " + split.id());
    }
    return out;
  }

  /**
   * Parses a puzzle in MGDM's input form and checks it fits this task (number of numbers, ranges).
   *
   * @throws IllegalArgumentException with a one-line reason
   */
  Puzzle parse(String input);

  /** One answer when the puzzle is solvable: an integer step trace when one exists, else an infix expression. */
  Optional<String> solve(Puzzle puzzle);

  /** The strict, exact verdict on an answer (step trace or infix expression). Never throws on any answer. */
  Verification verify(Puzzle puzzle, String answer);

  /**
   * MGDM's lenient metric, for comparability with published numbers: every {@code a op b=c} step is
   * arithmetically right and the last result equals the target; which numbers are used is not checked.
   * Never throws.
   */
  boolean lenientCorrect(Puzzle puzzle, String answer);
}
