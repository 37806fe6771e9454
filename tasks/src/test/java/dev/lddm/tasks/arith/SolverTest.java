package dev.lddm.tasks.arith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lddm.tasks.Example;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SolverTest {
  @Test
  void formsAndDeterminism() {
    NumberPuzzle fraction = NumberPuzzle.parse("3,3,8,8,24");
    assertEquals(Optional.empty(), Solver.integerTrace(fraction));
    assertEquals(Optional.of("8/(3-8/3)"), Solver.solve(fraction));
    assertEquals(Optional.of("97-89=8,83-73=10,10*8=80,80-79=1"),
        Solver.integerTrace(NumberPuzzle.parse("97,89,83,79,73,1")));
    assertEquals(Optional.empty(), Solver.solve(NumberPuzzle.parse("1,1,1,1,24")));
    assertEquals(Optional.empty(), Solver.integerTrace(NumberPuzzle.parse("2,3,5,7,11,99999")));
    NumberPuzzle big = new NumberPuzzle(List.of(1_000_000, 999_999, 999_998, 999_997, 999_996, 7), 1_000_000);
    assertEquals(Solver.solve(big), Solver.solve(big));
    Solver.solve(big).ifPresent(a -> assertTrue(Verifier.verify(big, a, Rules.RATIONAL).isCorrect(), a));
  }

  /** MGDM's Countdown-4 test set (first 100 lines): gold traces verify strictly and leniently; all solvable. */
  @Test
  void mgdmCountdown4Fixture() throws IOException {
    List<Example> examples;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
        SolverTest.class.getResourceAsStream("mgdm-cd4-test-first100.jsonl"), StandardCharsets.UTF_8))) {
      examples = r.lines().map(Example::fromJsonLine).toList();
    }
    assertEquals(100, examples.size());
    for (Example ex : examples) {
      NumberPuzzle p = NumberPuzzle.parse(ex.input());
      assertTrue(Verifier.verify(p, ex.output(), Rules.COUNTDOWN).isCorrect(), ex::toString);
      assertTrue(Verifier.lenientCorrect(p, ex.output()), ex::toString);
      String solved = Solver.integerTrace(p).orElseThrow();
      assertTrue(Verifier.verify(p, solved, Rules.COUNTDOWN).isCorrect(), solved);
    }
  }
}
