package dev.lddm.tasks.countdown;

import dev.lddm.tasks.pyrandom.PyHeapq;
import dev.lddm.tasks.pyrandom.PyRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The two searches of Stream-of-Search (Gandhi et al. 2024, {@code kanishkg/stream-of-search}) that
 * matter for reproducing its Countdown data, re-implemented over primitive arrays:
 *
 * <ul>
 *   <li>{@link #firstSolution}: {@code CountDown.search} in {@code src/countdown.py}, the exhaustive
 *       depth-first search whose first hit is the reference solution written to the data;
 *   <li>{@link #consumeBfsDraws}: {@code bfs} in {@code src/countdown_bfs.py}, which calls
 *       {@code random.shuffle} once per expanded node. Its trace is not part of MGDM's data, but its
 *       random draws are, so it is simulated exactly (heap and sort ties included) without building the
 *       trace. ({@code dfs} in {@code src/countdown_dfs.py} draws nothing and is not simulated.)
 * </ul>
 *
 * <p>The successor order of both follows {@code combine_nums} in {@code src/countdown_utils.py}: for each
 * pair {@code i < j} of positions ({@code itertools.combinations}), with {@code a = nums[i]},
 * {@code b = nums[j]}: {@code a+b}, {@code a*b}, then {@code larger-smaller} and, when it is exact and the
 * divisor non-zero, {@code larger/smaller}; the result is appended after the remaining numbers.
 */
final class SosSearch {
  private SosSearch() {}

  /** Successors of {@code (a, b)} in {@code combine_nums} order; returns how many were written. */
  private static int combine(long a, long b, long[] res, char[] op, long[] left, long[] right) {
    res[0] = a + b;
    op[0] = '+';
    left[0] = a;
    right[0] = b;
    res[1] = a * b;
    op[1] = '*';
    left[1] = a;
    right[1] = b;
    long hi = Math.max(a, b);
    long lo = Math.min(a, b);
    res[2] = hi - lo;
    op[2] = '-';
    left[2] = hi;
    right[2] = lo;
    if (lo != 0 && hi % lo == 0) {
      res[3] = hi / lo;
      op[3] = '/';
      left[3] = hi;
      right[3] = lo;
      return 4;
    }
    return 3;
  }

  /**
   * The solution {@code CountDown.search(target, nums)} returns: the first sequence of operations, in
   * depth-first order, whose final number equals {@code target}; or {@code null} when there is none.
   * Steps are spelled as in SoS, e.g. {@code 90+95=185}.
   */
  static List<String> firstSolution(int[] nums, int target) {
    return new Dfs(nums.length).firstSolution(nums, target);
  }

  /**
   * A reusable {@code CountDown.search} for one count of numbers (not thread-safe). The last step is
   * checked in place rather than recursed into: same operations, same order, so the same first solution.
   */
  static final class Dfs {
    final long[][] vals;
    final long[] stepLeft;
    final long[] stepRight;
    final long[] stepRes;
    final char[] stepOp;
    final long[][] res;
    final char[][] op;
    final long[][] left;
    final long[][] right;
    final int n;
    long target;

    Dfs(int n) {
      this.n = n;
      vals = new long[n][];
      for (int d = 0; d < n; d++) {
        vals[d] = new long[n - d];
      }
      stepLeft = new long[n];
      stepRight = new long[n];
      stepRes = new long[n];
      stepOp = new char[n];
      res = new long[n][4];
      op = new char[n][4];
      left = new long[n][4];
      right = new long[n][4];
    }

    /** See {@link SosSearch#firstSolution}; {@code nums} must have this instance's count. */
    List<String> firstSolution(int[] nums, int target) {
      if (nums.length != n) {
        throw new IllegalArgumentException("expected " + n + " numbers, got " + nums.length);
      }
      this.target = target;
      for (int i = 0; i < n; i++) {
        vals[0][i] = nums[i];
      }
      if (!search(0, n)) {
        return null;
      }
      List<String> steps = new ArrayList<>(n - 1);
      for (int d = 0; d < n - 1; d++) {
        steps.add(stepLeft[d] + String.valueOf(stepOp[d]) + stepRight[d] + "=" + stepRes[d]);
      }
      return steps;
    }

    private boolean step(int d, long a, char o, long b, long r) {
      stepLeft[d] = a;
      stepOp[d] = o;
      stepRight[d] = b;
      stepRes[d] = r;
      return true;
    }

    /** The last step on {@code (a, b)}: the {@code combine_nums} operations in order, compared to the target. */
    private boolean lastStep(int d, long a, long b) {
      if (a + b == target) {
        return step(d, a, '+', b, target);
      }
      if (a * b == target) {
        return step(d, a, '*', b, target);
      }
      long hi = Math.max(a, b);
      long lo = Math.min(a, b);
      if (hi - lo == target) {
        return step(d, hi, '-', lo, target);
      }
      if (lo != 0 && hi == target * lo) {
        return step(d, hi, '/', lo, target);
      }
      return false;
    }

    /**
     * Three numbers left: combine {@code (a, b)} with each operation in order, then the last step on
     * {@code [rest, result]} (remaining numbers first, result appended, as in SoS).
     */
    private boolean pairThenLast(int d, long a, long b, long rest) {
      if (lastStep(d + 1, rest, a + b)) {
        return step(d, a, '+', b, a + b);
      }
      if (lastStep(d + 1, rest, a * b)) {
        return step(d, a, '*', b, a * b);
      }
      long hi = Math.max(a, b);
      long lo = Math.min(a, b);
      if (lastStep(d + 1, rest, hi - lo)) {
        return step(d, hi, '-', lo, hi - lo);
      }
      if (lo != 0 && hi % lo == 0 && lastStep(d + 1, rest, hi / lo)) {
        return step(d, hi, '/', lo, hi / lo);
      }
      return false;
    }

    boolean search(int d, int len) {
      long[] cur = vals[d];
      if (len == 1) {
        return cur[0] == target;
      }
      if (len == 2) {
        return lastStep(d, cur[0], cur[1]);
      }
      if (len == 3) {
        return pairThenLast(d, cur[0], cur[1], cur[2])
            || pairThenLast(d, cur[0], cur[2], cur[1])
            || pairThenLast(d, cur[1], cur[2], cur[0]);
      }
      long[] next = vals[d + 1];
      for (int i = 0; i < len - 1; i++) {
        for (int j = i + 1; j < len; j++) {
          int r = 0;
          for (int k = 0; k < len; k++) {
            if (k != i && k != j) {
              next[r++] = cur[k];
            }
          }
          int count = combine(cur[i], cur[j], res[d], op[d], left[d], right[d]);
          for (int c = 0; c < count; c++) {
            next[len - 2] = res[d][c];
            stepLeft[d] = left[d][c];
            stepRight[d] = right[d][c];
            stepRes[d] = res[d][c];
            stepOp[d] = op[d][c];
            if (search(d + 1, len - 1)) {
              return true;
            }
          }
        }
      }
      return false;
    }
  }

  /** The search heuristics of {@code src/countdown_utils.py}. */
  enum Heuristic {
    /**
     * {@code sum_heuristic}: {@code |n - target|} for one number, else the mean of {@code |num - target|}
     * (a Python float; here a double, which is exact for these magnitudes and correctly rounded).
     */
    SUM,
    /** {@code mult_heuristic}: the sum over numbers of the distance to the nearest factor {@code >= 2} of the target. */
    MULT;

    double of(long[] nums, int target, long[] factors) {
      if (this == SUM) {
        if (nums.length == 1) {
          return Math.abs(nums[0] - target);
        }
        long sum = 0;
        for (long v : nums) {
          sum += Math.abs(v - target);
        }
        return (double) sum / nums.length;
      }
      long sum = 0;
      for (long v : nums) {
        long best = Long.MAX_VALUE;
        for (long f : factors) {
          best = Math.min(best, Math.abs(v - f));
        }
        sum += best;
      }
      return sum;
    }
  }

  /** {@code [i for i in range(2, target + 1) if target % i == 0]}. */
  static long[] factors(int target) {
    return java.util.stream.LongStream.rangeClosed(2, target).filter(i -> target % i == 0).toArray();
  }

  private static final class Node {
    final long[] nums;
    final double h;

    Node(long[] nums, double h) {
      this.nums = nums;
      this.h = h;
    }
  }

  /**
   * Python's {@code (h1, node1) < (h2, node2)} for the {@code (heuristic, CountdownNode)} tuples: the
   * nodes are distinct objects whose {@code __lt__} compares the same heuristic, so ties are "not less".
   */
  private static final PyHeapq.LessThan<Node> LT = (a, b) -> a.h < b.h;

  private static final Comparator<Node> SORT = (a, b) -> a.h < b.h ? -1 : (b.h < a.h ? 1 : 0);

  /**
   * Runs SoS's {@code bfs(target, nums, beamSize, heuristic)} for its random draws only: every
   * {@code random.shuffle} it performs on {@code rng}, in order, until the goal is generated or the
   * open set is exhausted. Returns whether the goal was reached.
   */
  static boolean consumeBfsDraws(PyRandom rng, int[] startNums, int target, int beamSize, Heuristic heuristic) {
    long[] factors = heuristic == Heuristic.MULT ? factors(target) : null;
    long[] start = new long[startNums.length];
    for (int i = 0; i < start.length; i++) {
      start[i] = startNums[i];
    }
    List<Node> open = new ArrayList<>();
    PyHeapq.heappush(open, new Node(start, heuristic.of(start, target, factors)), LT);
    List<Node> current = new ArrayList<>(beamSize);
    List<Node> generated = new ArrayList<>();
    long[] res = new long[4];
    char[] op = new char[4];
    long[] left = new long[4];
    long[] right = new long[4];
    while (!open.isEmpty()) {
      current.clear();
      for (int p = Math.min(beamSize, open.size()); p > 0; p--) {
        current.add(PyHeapq.heappop(open, LT));
      }
      for (Node node : current) {
        long[] cur = node.nums;
        int len = cur.length;
        generated.clear();
        for (int i = 0; i < len - 1; i++) {
          for (int j = i + 1; j < len; j++) {
            int count = combine(cur[i], cur[j], res, op, left, right);
            for (int c = 0; c < count; c++) {
              long[] next = new long[len - 1];
              int r = 0;
              for (int k = 0; k < len; k++) {
                if (k != i && k != j) {
                  next[r++] = cur[k];
                }
              }
              next[r] = res[c];
              generated.add(new Node(next, heuristic.of(next, target, factors)));
            }
          }
        }
        generated.sort(SORT);
        List<Node> kept = generated.size() > beamSize ? generated.subList(0, beamSize) : generated;
        rng.shuffle(kept);
        for (Node child : kept) {
          if (child.nums.length == 1 && child.nums[0] == target) {
            return true;
          }
        }
        kept.sort(SORT);
        for (Node child : kept) {
          PyHeapq.heappush(open, child, LT);
        }
      }
    }
    return false;
  }
}
