package dev.lddm.harness.run;

import static org.junit.jupiter.api.Assertions.*;

import dev.lddm.tasks.Example;
import dev.lddm.tasks.Split;
import dev.lddm.tasks.Task;
import dev.lddm.tasks.TaskRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The evaluation's problems are generated once per key and process, and are exactly the task's. */
class EvaluationExamplesTest {
  @Test
  void theSameKeyReusesTheGeneratedList() {
    Task<?> t = TaskRegistry.get("countdown3");
    List<Example> first = Evaluation.examples(t, Split.VAL, 25, 4);
    assertEquals(t.generate(Split.VAL, 25, 4), first);
    assertSame(first, Evaluation.examples(t, Split.VAL, 25, 4));
  }

  @Test
  void anyOtherKeyGeneratesAfresh() {
    Task<?> t = TaskRegistry.get("countdown3");
    List<Example> base = Evaluation.examples(t, Split.VAL, 20, 4);
    assertEquals(t.generate(Split.VAL, 21, 4), Evaluation.examples(t, Split.VAL, 21, 4));
    assertEquals(t.generate(Split.TEST, 20, 4), Evaluation.examples(t, Split.TEST, 20, 4));
    Task<?> g = TaskRegistry.get("game24");
    assertEquals(g.generate(Split.TEST, 20, 4), Evaluation.examples(g, Split.TEST, 20, 4));
    assertSame(base, Evaluation.examples(t, Split.VAL, 20, 4));
  }

  @Test
  void onlyTheLastEightKeysAreKept() {
    Task<?> t = TaskRegistry.get("countdown3");
    List<Example> first = Evaluation.examples(t, Split.VAL, 1, 4);
    for (int count = 2; count <= 9; count++) {
      Evaluation.examples(t, Split.VAL, count, 4);
    }
    List<Example> again = Evaluation.examples(t, Split.VAL, 1, 4);
    assertEquals(first, again);
    assertNotSame(first, again, "evicted after eight newer keys");
  }
}
