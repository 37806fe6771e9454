package dev.lddm.tasks.countdown;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Expected values from SoS's {@code CountDown().search(target, nums)} under CPython 3.11. */
class SosSearchTest {
  @Test
  void firstSolutionFollowsDepthFirstOrder() {
    assertEquals(List.of("90+95=185", "11*185=2035", "2035/37=55"),
        SosSearch.firstSolution(new int[] {90, 11, 37, 95}, 55));
    assertEquals(List.of("70-63=7", "75+32=107", "107-7=100"),
        SosSearch.firstSolution(new int[] {70, 63, 75, 32}, 100));
    assertEquals(List.of("2+2=4", "2+4=6"), SosSearch.firstSolution(new int[] {2, 2, 2}, 6));
  }

  @Test
  void unreachableTargetHasNoSolution() {
    assertNull(SosSearch.firstSolution(new int[] {1, 1, 1}, 97));
  }

  @Test
  void multHeuristicUsesFactorsFromTwo() {
    long[] f = SosSearch.factors(12);
    assertEquals(List.of(2L, 3L, 4L, 6L, 12L), java.util.Arrays.stream(f).boxed().toList());
    assertEquals(1.0 + 0.0, SosSearch.Heuristic.MULT.of(new long[] {5, 6}, 12, f), 0.0);
    assertEquals((3.0 + 8.0) / 2, SosSearch.Heuristic.SUM.of(new long[] {9, 20}, 12, null), 0.0);
    assertEquals(8.0, SosSearch.Heuristic.SUM.of(new long[] {20}, 12, null), 0.0);
  }
}
