package dev.lddm.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Spliterator;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Holds every registered task to the same contract. */
class TaskContractTest {
  private static final int COUNT = 20;
  private static final long SEED = 4;

  static Stream<Task> allTasks() {
    return TaskRegistry.all().keySet().stream().map(TaskRegistry::get);
  }

  @Test
  void registryHasTheFourTasks() {
    assertEquals(List.of("countdown3", "countdown4", "countdown5", "game24"),
        List.copyOf(TaskRegistry.all().keySet()));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TaskRegistry.get("countdown7"));
    assertEquals("Unknown task 'countdown7'. Known: countdown3, countdown4, countdown5, game24", e.getMessage());
  }

  @ParameterizedTest
  @MethodSource("allTasks")
  void generatedOutputsAndSolverAnswersVerify(Task task) {
    for (Split split : Split.values()) {
      for (Example ex : task.generate(split, COUNT, SEED)) {
        Puzzle p = task.parse(ex.input());
        assertEquals(ex.input(), p.toInput());
        Verification v = task.verify(p, ex.output());
        assertTrue(v.isCorrect(), () -> task.name() + " " + ex + ": " + v);
        String solved = task.solve(p).orElseThrow();
        assertTrue(task.verify(p, solved).isCorrect(), () -> task.name() + " " + ex + " solver " + solved);
        if (!solved.contains("(") && solved.contains("=")) {
          assertTrue(task.lenientCorrect(p, solved), () -> task.name() + " lenient " + solved);
        }
        assertTrue(ex.input().length() + ex.output().length() + 2 <= task.sequenceLength(),
            () -> task.name() + " " + ex + " does not fit " + task.sequenceLength());
      }
    }
  }

  @ParameterizedTest
  @MethodSource("allTasks")
  void sameSeedSameExamples(Task task) {
    assertEquals(task.generate(Split.TRAIN, COUNT, SEED), task.generate(Split.TRAIN, COUNT, SEED));
    assertEquals(task.generate(Split.TEST, COUNT, SEED), task.generate(Split.TEST, COUNT, SEED));
    assertFalse(task.generate(Split.TRAIN, COUNT, SEED).equals(task.generate(Split.TRAIN, COUNT, SEED + 1)),
        "another seed should give other training examples");
  }

  @ParameterizedTest
  @MethodSource("allTasks")
  void testPuzzlesNeverInTrain(Task task) {
    Set<Puzzle> test = new HashSet<>();
    for (Example ex : task.generate(Split.TEST, 100, SEED)) {
      test.add(canonical(task.parse(ex.input())));
    }
    task.examples(Split.TRAIN, SEED).limit(2_000).forEach(ex ->
        assertFalse(test.contains(canonical(task.parse(ex.input()))), () -> task.name() + " train has " + ex));
  }

  @ParameterizedTest
  @MethodSource("allTasks")
  void badInputsThrow(Task task) {
    assertThrows(IllegalArgumentException.class, () -> task.generate(Split.TEST, -1, SEED));
    assertThrows(IllegalArgumentException.class, () -> task.generate(Split.VAL, Integer.MAX_VALUE, SEED));
    for (String bad : List.of("", "1,2", "1,2,3,4,5,6,7,8", "1,2,x,4,24", "0,0,0,0,0,0", "100,1,1,1,1,24",
        "1,2,3,4,-24", "1.5,2,3,4,24")) {
      assertThrows(IllegalArgumentException.class, () -> task.parse(bad), () -> task.name() + " " + bad);
    }
  }

  @ParameterizedTest
  @MethodSource("allTasks")
  void sizeIsExactAndCheckedBeforeGenerating(Task task) {
    for (Split split : Split.values()) {
      int size = task.size(split);
      assertTrue(size > 0, () -> task.name() + " " + split.id() + " size " + size);
      // Countdown's streams are SIZED (counting them would replay 220,000 examples); count the others.
      Spliterator<Example> examples = task.examples(split, SEED).spliterator();
      long known = examples.getExactSizeIfKnown();
      assertEquals(size, known >= 0 ? known : StreamSupport.stream(examples, false).count(),
          () -> task.name() + " " + split.id());
      assertEquals(size, task.size(split), "the same every time");
    }
    int test = task.size(Split.TEST);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> task.generate(Split.TEST, test + 1, SEED));
    assertEquals("count " + (test + 1) + " exceeds the " + test + " examples of " + task.name() + " test",
        e.getMessage());
  }

  private static Puzzle canonical(Puzzle p) {
    return new Puzzle(p.numbers().stream().sorted().toList(), p.target());
  }
}
