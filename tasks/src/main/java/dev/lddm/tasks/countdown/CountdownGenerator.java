package dev.lddm.tasks.countdown;

import dev.lddm.tasks.Example;
import dev.lddm.tasks.Split;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * PLACEHOLDER (branch {@code verify}); replaced at merge time by the real generator that ports
 * Stream-of-Search's {@code countdown_generate.py}. Same API, simpler data: each example draws numbers in
 * 1..99 and a random valid integer trace, seeded per {@code (numberCount, seed, split, index)}, and keeps it
 * when the trace's result is a target of the split: test and val use MGDM's held-out targets, train every
 * other target below 100, so test puzzles never occur in train.
 */
public final class CountdownGenerator {
  /** MGDM's held-out ("OOD") Countdown test targets. */
  static final Set<Integer> HELD_OUT_TARGETS = Set.of(14, 39, 41, 57, 62, 81, 87, 89, 96);
  private static final long TRAIN_SIZE = 500_000;
  private static final long EVAL_SIZE = 1_000;

  private final int numberCount;

  /**
   * @param numberCount 3..5
   * @throws IllegalArgumentException for any other count
   */
  public CountdownGenerator(int numberCount) {
    if (numberCount < 3 || numberCount > 5) {
      throw new IllegalArgumentException("numberCount must be 3..5, got " + numberCount);
    }
    this.numberCount = numberCount;
  }

  /** The examples of a split, lazily and deterministically. */
  public Stream<Example> examples(Split split, long seed) {
    long size = split == Split.TRAIN ? TRAIN_SIZE : EVAL_SIZE;
    return LongStream.range(0, size).mapToObj(i -> example(split, seed, i));
  }

  private Example example(Split split, long seed, long index) {
    int length = switch (numberCount) {
      case 3 -> 37;
      case 4 -> 64;
      default -> 74;
    };
    SplittableRandom rng =
        new SplittableRandom(mix(mix(mix(mix(numberCount) ^ seed) ^ split.ordinal()) ^ index));
    while (true) {
      List<Long> numbers = new ArrayList<>();
      for (int k = 0; k < numberCount; k++) {
        numbers.add((long) rng.nextInt(1, 100));
      }
      List<Long> pool = new ArrayList<>(numbers);
      List<String> steps = new ArrayList<>();
      while (pool.size() > 1) {
        long a = pool.remove(rng.nextInt(pool.size()));
        long b = pool.remove(rng.nextInt(pool.size()));
        long hi = Math.max(a, b);
        long lo = Math.min(a, b);
        char op = "+-*/".charAt(rng.nextInt(4));
        if (op == '/' && (lo == 0 || hi % lo != 0)) {
          op = '+';
        }
        long c = switch (op) {
          case '+' -> hi + lo;
          case '-' -> hi - lo;
          case '*' -> hi * lo;
          default -> hi / lo;
        };
        steps.add(hi + String.valueOf(op) + lo + "=" + c);
        pool.add(c);
      }
      long target = pool.get(0);
      boolean heldOut = HELD_OUT_TARGETS.contains((int) Math.min(target, 1000));
      boolean wanted = target < 100 && (split == Split.TRAIN ? !heldOut : heldOut);
      String input = numbers.stream().map(String::valueOf).collect(Collectors.joining(",")) + "," + target;
      String output = String.join(",", steps);
      if (wanted && input.length() + output.length() + 2 <= length) {
        return new Example(input, output);
      }
    }
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
