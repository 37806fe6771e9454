package dev.lddm.tasks;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A puzzle task with a checkable answer: it owns its input format, its data (deterministic, leak-free
 * splits), a solver and an exact verifier. Countdown, Game of 24 and Sudoku are tasks; so is any class in a
 * plug-in jar listed in {@code META-INF/services/dev.lddm.tasks.Task} (see {@link TaskRegistry}).
 *
 * <p>Text in, text out: an {@link Example} is an {@code input} string (the puzzle, in the form
 * {@link #parse} reads and {@link Puzzle#toInput} writes) and an {@code output} string (a reference answer).
 * The model reads {@code input [SEP]} and writes {@code output [EOS]}, character by character, in the
 * 31-id {@link dev.lddm.tasks.token.Vocabulary}: so inputs and outputs use only {@code 0-9 * + - / = ,}
 * and {@code a-j}, and {@code input.length() + output.length() + 2 <= sequenceLength()}.
 *
 * <p>Implementations are immutable and thread-safe. Every random choice comes from the seed passed to
 * {@link #examples}: the same arguments always give the same examples, in the same order, on every
 * platform. {@code TaskContractTest} holds every registered task to this contract; the README's
 * "Adding a task" lists its rules.
 *
 * @param <P> the task's puzzle type
 */
public interface Task<P extends Puzzle> {
  /** Short registry name, lower-case letters, digits, {@code -} and {@code _}, e.g. {@code countdown4}. */
  String name();

  /** One line for {@code lddm tasks}: what the puzzles are and where they come from. */
  String description();

  /**
   * Length in tokens of a padded sequence {@code input [SEP] output [EOS] [PAD]...}, large enough for every
   * generated example (MGDM: Countdown-3 37, -4 64, -5 74, Sudoku 164).
   */
  int sequenceLength();

  /**
   * The number of examples in a split: {@link #examples} yields exactly this many, for every seed. Exact and
   * cheap (a constant, or a small computation done once and remembered): callers use it to check a count
   * before any work, e.g. {@code lddm generate --count 200} on Game of 24's 100-example test split, or a
   * suite's evaluation counts.
   *
   * @return the split's size, {@code >= 1}; the same for every seed
   */
  int size(Split split);

  /**
   * The examples of a split, in generation order, lazily. Finite: exactly {@link #size(Split)} examples.
   * The same seed gives the same examples; another seed gives other {@link Split#TRAIN} examples. No
   * {@link Split#TEST} puzzle shares its {@link #leakKey} with a {@link Split#TRAIN} puzzle of the same seed
   * (Sudoku's splits are disjoint for any two seeds; Countdown's held-out targets depend on the seed).
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
   * Reads a puzzle in this task's input form and checks it fits the task (shape, ranges). Never throws
   * anything but {@link IllegalArgumentException}, whatever the string (empty, 10,000 characters, letters,
   * control characters).
   *
   * @throws IllegalArgumentException with a one-line reason, e.g. {@code sudoku puzzle must have 81 digits,
   *     got 80}
   */
  P parse(String input);

  /** One correct answer (in this task's output form) when the puzzle is solvable, else empty. */
  Optional<String> solve(P puzzle);

  /**
   * Every verdict {@link #verify} can return, {@link Verdict#CORRECT} first and {@link Verdict#MALFORMED}
   * among them, in the order reports list them (e.g. the {@code verdicts} counts of an evaluation's
   * {@code summary.json}).
   */
  List<Verdict> verdicts();

  /**
   * The strict, exact verdict on an answer, one of {@link #verdicts()}, with a one-line detail that names
   * what is wrong (empty when correct). Never throws, for any answer string ({@code null} included).
   */
  Verification verify(P puzzle, String answer);

  /**
   * A lenient metric for comparability with published numbers (Countdown: MGDM's, which does not check
   * which numbers are used), reported next to the strict one. Never throws. By default the strict verdict:
   * a task without a published lenient metric need not define one.
   */
  default boolean lenientCorrect(P puzzle, String answer) {
    return verify(puzzle, answer).isCorrect();
  }

  /**
   * What makes two puzzles "the same" for split leakage: no test puzzle's key is the key of a training
   * puzzle. By default the input itself; Countdown uses the numbers as a multiset plus the target, Sudoku
   * the solution grid, so a test grid is never seen in training under other givens.
   */
  default String leakKey(P puzzle) {
    return puzzle.toInput();
  }
}
