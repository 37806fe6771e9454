package dev.lddm.tasks.countdown;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lddm.tasks.Example;
import dev.lddm.tasks.Split;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CountdownGeneratorTest {
  private static List<String> fixture(String name) throws IOException {
    try (InputStream in = CountdownGeneratorTest.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("missing test resource " + name);
      }
      return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList();
    }
  }

  private static void assertLines(List<String> expected, Iterator<Example> actual) {
    for (int i = 0; i < expected.size(); i++) {
      assertTrue(actual.hasNext(), "stream ended at line " + (i + 1));
      assertEquals(expected.get(i), actual.next().toJsonLine(), "line " + (i + 1));
    }
  }

  @Test
  void trainSeed4ReproducesMgdmTrainingLines() throws IOException {
    List<String> expected = fixture("mgdm-cd4-train-first2000.jsonl");
    assertEquals(2000, expected.size());
    assertLines(expected, new CountdownGenerator(4).examples(Split.TRAIN, 4).limit(2000).iterator());
  }

  @Test
  void testSeed4ReproducesMgdmTestSet() throws IOException {
    List<String> expected = fixture("mgdm-cd4-test.jsonl");
    assertEquals(1000, expected.size());
    List<Example> actual = new CountdownGenerator(4).examples(Split.TEST, 4).toList();
    assertEquals(1000, actual.size());
    assertLines(expected, actual.iterator());
  }

  @Test
  void sameSeedSameBytesAndSizesAreExact() {
    CountdownGenerator gen = new CountdownGenerator(3, 300, 20, 30);
    for (Split split : Split.values()) {
      List<String> a = gen.examples(split, 11).map(Example::toJsonLine).toList();
      List<String> b = gen.examples(split, 11).map(Example::toJsonLine).toList();
      assertEquals(a, b, split.id());
      assertEquals(gen.size(split), a.size(), split.id());
    }
    assertFalse(gen.examples(Split.TRAIN, 11).toList().equals(gen.examples(Split.TRAIN, 12).toList()));
  }

  @Test
  void testPairsNeverOccurInTrainAndValSolutionsAreNew() {
    for (int n = 3; n <= 5; n++) {
      CountdownGenerator gen = new CountdownGenerator(n, n == 5 ? 300 : 2000, 100, 100);
      List<Example> train = gen.examples(Split.TRAIN, 1).toList();
      Set<String> trainInputs = train.stream().map(Example::input).collect(Collectors.toSet());
      Set<String> trainTargets = new HashSet<>();
      Set<String> trainOutputs = new HashSet<>();
      for (Example e : train) {
        trainTargets.add(e.input().substring(e.input().lastIndexOf(',') + 1));
        trainOutputs.add(e.output());
        assertEquals(n + 1, e.input().split(",").length);
        assertEquals(n - 1, e.output().split(",").length);
      }
      for (Example e : gen.examples(Split.TEST, 1).toList()) {
        assertFalse(trainInputs.contains(e.input()), e.input());
        assertFalse(trainTargets.contains(e.input().substring(e.input().lastIndexOf(',') + 1)), e.input());
      }
      for (Example e : gen.examples(Split.VAL, 1).toList()) {
        assertFalse(trainOutputs.contains(e.output()), e.output());
      }
    }
  }

  @Test
  void rejectsBadArguments() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CountdownGenerator(6));
    assertTrue(e.getMessage().contains("numberCount") && e.getMessage().contains("6"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new CountdownGenerator(2));
    e = assertThrows(IllegalArgumentException.class, () -> new CountdownGenerator(4, -1, 0, 0));
    assertTrue(e.getMessage().contains("trainSize"), e.getMessage());
  }
}
