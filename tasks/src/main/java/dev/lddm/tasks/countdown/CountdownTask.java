package dev.lddm.tasks.countdown;

import dev.lddm.tasks.Example;
import dev.lddm.tasks.Split;
import dev.lddm.tasks.Task;
import dev.lddm.tasks.Verdict;
import dev.lddm.tasks.Verification;
import dev.lddm.tasks.arith.NumberPuzzle;
import dev.lddm.tasks.arith.Rules;
import dev.lddm.tasks.arith.Solver;
import dev.lddm.tasks.arith.Verifier;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Countdown with {@code numberCount} numbers (3, 4 or 5; registered as {@code countdown3..5}): reach the
 * target with {@code + - * /}, each number once, every intermediate a non-negative integer
 * ({@link Rules#COUNTDOWN}). Sequence lengths follow MGDM: 37, 64 and 74 tokens.
 *
 * <p>Data comes from {@link CountdownGenerator}; answers are verified by {@link Verifier} and solved by
 * {@link Solver#integerTrace}.
 */
public final class CountdownTask implements Task<NumberPuzzle> {
  /** Smallest and largest puzzle number accepted by {@link #parse}. */
  public static final int MIN_NUMBER = 1;
  public static final int MAX_NUMBER = 99;

  private final int numberCount;
  private final CountdownGenerator generator;

  /**
   * @param numberCount 3, 4 or 5
   * @throws IllegalArgumentException for any other count
   */
  public CountdownTask(int numberCount) {
    if (numberCount < 3 || numberCount > 5) {
      throw new IllegalArgumentException("numberCount must be 3..5, got " + numberCount);
    }
    this.numberCount = numberCount;
    this.generator = new CountdownGenerator(numberCount);
  }

  /** How many numbers each puzzle has. */
  public int numberCount() {
    return numberCount;
  }

  @Override
  public String name() {
    return "countdown" + numberCount;
  }

  @Override
  public String description() {
    return "Countdown with " + numberCount + " numbers 1..99, integer steps (MGDM CD" + numberCount + ")";
  }

  @Override
  public int sequenceLength() {
    return switch (numberCount) {
      case 3 -> 37;
      case 4 -> 64;
      default -> 74;
    };
  }

  /**
   * The generator's split sizes ({@link CountdownGenerator#DEFAULT_TRAIN_SIZE} 220,000 train, 1,000 val,
   * 1,000 test), constants independent of the seed.
   */
  @Override
  public int size(Split split) {
    return generator.size(split);
  }

  @Override
  public Stream<Example> examples(Split split, long seed) {
    return generator.examples(split, seed);
  }

  /**
   * Parses {@code a,b,...,target}: exactly {@link #numberCount()} numbers in 1..99. The target may be any
   * non-negative integer up to {@link NumberPuzzle#MAX_VALUE}, so user puzzles beyond the generated range (MGDM's
   * targets are below 100) are accepted.
   *
   * @throws IllegalArgumentException with a one-line reason
   */
  @Override
  public NumberPuzzle parse(String input) {
    NumberPuzzle p = NumberPuzzle.parse(input);
    if (p.numbers().size() != numberCount) {
      throw new IllegalArgumentException(name() + " puzzle '" + input + "' must have " + numberCount
          + " numbers, got " + p.numbers().size());
    }
    for (int n : p.numbers()) {
      if (n < MIN_NUMBER || n > MAX_NUMBER) {
        throw new IllegalArgumentException(
            name() + " numbers must be in " + MIN_NUMBER + ".." + MAX_NUMBER + ", got " + n);
      }
    }
    return p;
  }

  /** An integer step trace (the only kind of answer Countdown accepts), or empty if none exists. */
  @Override
  public Optional<String> solve(NumberPuzzle puzzle) {
    return Solver.integerTrace(puzzle);
  }

  /** {@link Verifier#VERDICTS}: CORRECT, WRONG_VALUE, WRONG_NUMBERS, INVALID_STEP, MALFORMED. */
  @Override
  public List<Verdict> verdicts() {
    return Verifier.VERDICTS;
  }

  @Override
  public Verification verify(NumberPuzzle puzzle, String answer) {
    return Verifier.verify(puzzle, answer, Rules.COUNTDOWN);
  }

  @Override
  public boolean lenientCorrect(NumberPuzzle puzzle, String answer) {
    return Verifier.lenientCorrect(puzzle, answer);
  }

  /** The numbers as a multiset plus the target: a reordered test puzzle is still a test puzzle. */
  @Override
  public String leakKey(NumberPuzzle puzzle) {
    return puzzle.multisetKey();
  }
}
