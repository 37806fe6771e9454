package dev.lddm.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.lddm.tasks.token.TokenFormat;
import dev.lddm.tasks.token.Vocabulary;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Spliterator;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Holds every registered task to the same contract (the rules the README's "Adding a task" lists). Nothing
 * here names a task: a new task is picked up from the registry, and so is a plug-in jar on the test class
 * path ({@code mvn -pl tasks test -Dtest=TaskContractTest -Dmaven.test.additionalClasspath=/path/my-task.jar}).
 */
class TaskContractTest {
  /** Examples checked per split. */
  private static final int COUNT = 20;
  /** Test and train examples compared for leaks. */
  private static final int LEAK_TEST = 100;
  private static final int LEAK_TRAIN = 2_000;
  private static final long SEED = 4;

  /** Every registered task, named by its registry name in the test report. */
  static Stream<Named<Task<?>>> allTasks() {
    return TaskRegistry.standard().tasks().stream().map(t -> Named.of(t.name(), t));
  }

  @Test
  void registryIsSortedAndNamesTheKnownTasksForAnUnknownOne() {
    TaskRegistry registry = TaskRegistry.standard();
    List<String> names = List.copyOf(registry.names());
    assertFalse(names.isEmpty());
    assertEquals(names.stream().sorted().toList(), names);
    for (String name : names) {
      assertEquals(name, registry.task(name).name());
    }
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TaskRegistry.get("no-such-task"));
    assertEquals("Unknown task 'no-such-task'. Known: " + String.join(", ", names), e.getMessage());
  }

  /** Rule 1: a name, a one-line description, a sequence length, the verdicts it can return. */
  @ParameterizedTest
  @MethodSource("allTasks")
  void describesItself(Task<?> task) {
    assertTrue(task.name().matches("[a-z][a-z0-9_-]{0,39}"), task.name());
    assertFalse(task.description().isBlank());
    assertFalse(task.description().contains("\n"), task.name());
    assertTrue(task.sequenceLength() >= 3, task.name());
    List<Verdict> verdicts = task.verdicts();
    assertEquals(Verdict.CORRECT, verdicts.get(0), task.name() + " lists CORRECT first");
    assertTrue(verdicts.contains(Verdict.MALFORMED), task.name() + " has MALFORMED");
    assertEquals(verdicts.size(), Set.copyOf(verdicts).size(), task.name() + " lists each verdict once");
    assertEquals(1, verdicts.stream().filter(Verdict::isCorrect).count());
  }

  /** Rule 2: every split has an exact size of at least 1, the same every time; a larger count is refused. */
  @ParameterizedTest
  @MethodSource("allTasks")
  void sizeIsExactAndCheckedBeforeGenerating(Task<?> task) {
    for (Split split : Split.values()) {
      int size = task.size(split);
      assertTrue(size >= 1, () -> task.name() + " " + split.id() + " size " + size);
      // Large splits should be SIZED streams (counting would replay them); count the others.
      Spliterator<Example> examples = task.examples(split, SEED).spliterator();
      long known = examples.getExactSizeIfKnown();
      assertEquals(size, known >= 0 ? known : StreamSupport.stream(examples, false).count(),
          () -> task.name() + " " + split.id());
      assertEquals(size, task.size(split), "the same every time");
      assertEquals(size, task.size(split), "the same for every seed");
    }
    int test = task.size(Split.TEST);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> task.generate(Split.TEST, test + 1, SEED));
    assertEquals("count " + (test + 1) + " exceeds the " + test + " examples of " + task.name() + " test",
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> task.generate(Split.TEST, -1, SEED));
    assertThrows(IllegalArgumentException.class, () -> task.generate(Split.VAL, Integer.MAX_VALUE, SEED));
  }

  /** Rule 3: the same seed gives the same examples; another seed other training examples. */
  @ParameterizedTest
  @MethodSource("allTasks")
  void sameSeedSameExamplesOtherSeedOtherTraining(Task<?> task) {
    // TRAIN and TEST (VAL would replay Countdown's 220,000 training draws once more for nothing new).
    for (Split split : List.of(Split.TRAIN, Split.TEST)) {
      int n = Math.min(COUNT, task.size(split));
      assertEquals(task.generate(split, n, SEED), task.generate(split, n, SEED), task.name() + " " + split.id());
    }
    int n = Math.min(COUNT, task.size(Split.TRAIN));
    assertNotEquals(task.generate(Split.TRAIN, n, SEED), task.generate(Split.TRAIN, n, SEED + 1),
        task.name() + ": another seed should give other training examples");
  }

  /**
   * Rule 4: every example parses back to its input, its output verifies as CORRECT, the solver solves it,
   * and input [SEP] output [EOS] fits the sequence length in the vocabulary.
   */
  @ParameterizedTest
  @MethodSource("allTasks")
  void examplesParseVerifySolveAndFit(Task<?> task) {
    examplesParseVerifySolveAndFit0(task);
  }

  private static <P extends Puzzle> void examplesParseVerifySolveAndFit0(Task<P> task) {
    TokenFormat format = new TokenFormat(task.sequenceLength());
    for (Split split : Split.values()) {
      for (Example ex : task.generate(split, Math.min(COUNT, task.size(split)), SEED)) {
        assertFalse(ex.input().isEmpty(), () -> task.name() + " " + ex + " has an empty input");
        assertFalse(ex.output().isEmpty(), () -> task.name() + " " + ex + " has an empty output");
        P p = task.parse(ex.input());
        assertEquals(ex.input(), p.toInput(), () -> task.name() + ": parse(input).toInput() is the input");
        Verification v = task.verify(p, ex.output());
        assertTrue(v.isCorrect(), () -> task.name() + " " + ex + ": " + v);
        assertEquals("", v.detail());
        String solved = task.solve(p).orElseThrow(() -> new AssertionError(task.name() + " cannot solve " + ex));
        assertTrue(task.verify(p, solved).isCorrect(), () -> task.name() + " " + ex + " solver " + solved);
        try {
          int[] ids = format.encode(ex.input(), ex.output());
          assertEquals(ex.output(), TokenFormat.decodeOutput(ids));
          assertEquals(ex.input(), TokenFormat.decodeInput(ids));
        } catch (IllegalArgumentException e) {
          fail(task.name() + " " + ex + ": " + e.getMessage());
        }
      }
    }
  }

  /** Rule 5: no test puzzle has the leak key of a training puzzle (the same seed). */
  @ParameterizedTest
  @MethodSource("allTasks")
  void testPuzzlesNeverInTrain(Task<?> task) {
    testPuzzlesNeverInTrain0(task);
  }

  private static <P extends Puzzle> void testPuzzlesNeverInTrain0(Task<P> task) {
    Set<String> test = new HashSet<>();
    for (Example ex : task.generate(Split.TEST, Math.min(LEAK_TEST, task.size(Split.TEST)), SEED)) {
      test.add(task.leakKey(task.parse(ex.input())));
    }
    task.examples(Split.TRAIN, SEED).limit(LEAK_TRAIN).forEach(ex ->
        assertFalse(test.contains(task.leakKey(task.parse(ex.input()))), () -> task.name() + " train has " + ex));
  }

  /** Rule 6: parse refuses hostile input with an IllegalArgumentException and a one-line message. */
  @ParameterizedTest
  @MethodSource("allTasks")
  void hostileInputsAreRefusedInOneLine(Task<?> task) {
    for (String bad : hostile()) {
      try {
        task.parse(bad);
        fail(task.name() + " accepted the puzzle '" + abbreviate(bad) + "'");
      } catch (IllegalArgumentException e) {
        assertOneLine(task.name() + " parse('" + abbreviate(bad) + "')", e.getMessage());
      } catch (RuntimeException e) {
        fail(task.name() + " parse('" + abbreviate(bad) + "') threw " + e);
      }
    }
  }

  /**
   * Rule 7: verify and lenientCorrect never throw; verify returns one of the task's verdicts with a one-line
   * detail, and hostile answers are not correct.
   */
  @ParameterizedTest
  @MethodSource("allTasks")
  void everyAnswerGetsADeclaredVerdict(Task<?> task) {
    everyAnswerGetsADeclaredVerdict0(task);
  }

  private static <P extends Puzzle> void everyAnswerGetsADeclaredVerdict0(Task<P> task) {
    for (Example ex : task.generate(Split.TEST, Math.min(3, task.size(Split.TEST)), SEED)) {
      P p = task.parse(ex.input());
      List<String> answers = new ArrayList<>();
      for (String bad : hostile()) {
        answers.add(bad);
        assertFalse(task.verify(p, bad).isCorrect(), () -> task.name() + " accepts '" + abbreviate(bad) + "'");
      }
      String out = ex.output();
      for (int i = 0; i < out.length(); i++) {
        answers.add(out.substring(0, i));
        answers.add(out.substring(0, i) + out.substring(i + 1));
        for (int id = 5; id < Vocabulary.SIZE; id += 3) {
          answers.add(out.substring(0, i) + Vocabulary.charOf(id) + out.substring(i + 1));
        }
      }
      answers.add(out + out);
      answers.add(out + "[MASK]");
      for (String a : answers) {
        try {
          Verification v = task.verify(p, a);
          assertTrue(task.verdicts().contains(v.verdict()),
              () -> task.name() + " returned " + v.verdict() + ", not in its verdicts() " + task.verdicts());
          assertOneLine(task.name() + " detail for '" + abbreviate(a) + "'", v.detail());
          task.lenientCorrect(p, a);
        } catch (RuntimeException e) {
          fail(task.name() + " verify/lenientCorrect('" + abbreviate(a) + "') threw " + e);
        }
      }
    }
  }

  /** Inputs and answers no task may accept. */
  private static List<String> hostile() {
    return List.of("", " ", "x", "\n", "\u0000", "[MASK]", "1".repeat(10_000), "x".repeat(10_000),
        "9".repeat(81) + "\n", "\uFEFF", "é", "1,2,3,4,5,6,7,8,9,10,11,12", "-1", "()");
  }

  private static void assertOneLine(String what, String message) {
    assertTrue(message != null && !message.contains("\n") && !message.contains("\r"),
        () -> what + " is not one line: " + message);
  }

  private static String abbreviate(String s) {
    String t = s.replace("\n", "\\n");
    return t.length() <= 40 ? t : t.substring(0, 37) + "...";
  }
}
