package dev.lddm.tasks.arith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lddm.tasks.Example;
import dev.lddm.tasks.Split;
import dev.lddm.tasks.Task;
import dev.lddm.tasks.countdown.CountdownTask;
import dev.lddm.tasks.game24.Game24Task;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What the numbers-and-target tasks share beyond the general contract. */
class ArithmeticTasksTest {
  static Stream<Task<NumberPuzzle>> arithmeticTasks() {
    return Stream.of(new CountdownTask(3), new CountdownTask(4), new CountdownTask(5), new Game24Task());
  }

  @ParameterizedTest
  @MethodSource("arithmeticTasks")
  void badPuzzlesThrow(Task<NumberPuzzle> task) {
    for (String bad : List.of("", "1,2", "1,2,3,4,5,6,7,8", "1,2,x,4,24", "0,0,0,0,0,0", "100,1,1,1,1,24",
        "1,2,3,4,-24", "1.5,2,3,4,24")) {
      assertThrows(IllegalArgumentException.class, () -> task.parse(bad), () -> task.name() + " " + bad);
    }
  }

  @ParameterizedTest
  @MethodSource("arithmeticTasks")
  void solverTracesPassMgdmsLenientMetricAndVerdictsAreTheOldOnes(Task<NumberPuzzle> task) {
    for (Example ex : task.generate(Split.TRAIN, 20, 4)) {
      NumberPuzzle p = task.parse(ex.input());
      String solved = task.solve(p).orElseThrow();
      if (!solved.contains("(") && solved.contains("=")) {
        assertTrue(task.lenientCorrect(p, solved), () -> task.name() + " lenient " + solved);
      }
    }
    assertEquals("[CORRECT, WRONG_VALUE, WRONG_NUMBERS, INVALID_STEP, MALFORMED]", task.verdicts().toString());
  }
}
