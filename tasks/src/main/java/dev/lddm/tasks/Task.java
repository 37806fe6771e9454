package dev.lddm.tasks;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

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
   * The number of examples in a split: {@link #examples} yields exactly this many, for every seed. Exact and
   * cheap (a constant, or a small computation done once and remembered): callers use it to check a count
   * before any work, e.g. {@code lddm generate --count 200} on Game of 24's 100-example test split, or a
   * suite's evaluation counts.
   *
   * @return the split's size, {@code >= 0}; the same for every seed
   */
  int size(Split split);

  /**
   * The examples of a split, in generation order, lazily. Finite: exactly {@link #size(Split)} examples.
   *
   * @param seed the generator seed (MGDM used 4)
   */
  Stream<Example> examples(Split split, long seed);

  /**
   * The first {@code count} examples of a split.
   *
   * @throws IllegalArgumentException if {@code count} is negative or larger than the split's
   *     {@link #size(Split)}, before generating anything: {@code count 200 exceeds the 100 examples of
   *     game24 test}
   */
  default List<Example> generate(Split split, int count, long seed) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, got " + count);
    }
    int size = size(split);
    if (count > size) {
      throw new IllegalArgumentException(
          "count " + count + " exceeds the " + size + " examples of " + name() + " " + split.id());
    }
    List<Example> out = examples(split, seed).limit(count).toList();
    if (out.size() < count) {
      throw new IllegalStateException(name() + " " + split.id() + " yielded " + out.size()
          + " examples, fewer than its size " + size);
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
