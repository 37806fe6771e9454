package dev.lddm.tasks.game24;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lddm.tasks.Example;
import dev.lddm.tasks.Split;
import dev.lddm.tasks.arith.NumberPuzzle;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class Game24Test {
  @Test
  void censusAndRankedList() {
    Census.Result census = Census.run();
    assertEquals(1820, census.multisets());
    assertEquals(1362, census.solvable());
    assertEquals(16, census.needFractions().size());
    assertTrue(census.needFractions().contains(List.of(3, 3, 8, 8)));
    assertTrue(census.needFractions().contains(List.of(1, 5, 5, 5)));

    List<RankedPuzzles.Ranked> ranked = RankedPuzzles.all();
    assertEquals(1362, ranked.size());
    Set<List<Integer>> distinct = new HashSet<>();
    for (RankedPuzzles.Ranked r : ranked) {
      assertEquals(r.numbers().stream().sorted().toList(), r.numbers(), "ascending");
      distinct.add(r.numbers());
    }
    // 1,362 distinct multisets, and the census found exactly 1,362 solvable: every row must be solvable;
    // spot-check that rows verify (the full check is the census itself).
    assertEquals(1362, distinct.size());
    Game24Task task = new Game24Task();
    for (int i = 0; i < ranked.size(); i += 97) {
      NumberPuzzle p = new NumberPuzzle(ranked.get(i).numbers(), 24);
      assertTrue(task.verify(p, task.solve(p).orElseThrow()).isCorrect());
    }
  }

  @Test
  void testSplitMatchesMgdm() throws IOException {
    List<Example> mgdm;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
        Game24Test.class.getResourceAsStream("mgdm-tot24-test.jsonl"), StandardCharsets.UTF_8))) {
      mgdm = r.lines().filter(l -> !l.isBlank()).map(Example::fromJsonLine).toList();
    }
    Game24Task task = new Game24Task();
    List<Example> ours = task.examples(Split.TEST, 0).toList();
    assertEquals(100, ours.size());
    assertEquals(mgdm.stream().map(Example::input).toList(), ours.stream().map(Example::input).toList());
    for (Example ex : ours) {
      NumberPuzzle p = task.parse(ex.input());
      assertTrue(task.verify(p, ex.output()).isCorrect(), ex::toString);
      assertTrue(task.lenientCorrect(p, ex.output()) || ex.output().contains("("), ex::toString);
    }
    assertEquals(ours, task.examples(Split.TEST, 12345).toList());
  }

  @Test
  void splitsAreDisjointAndSized() {
    Game24Task task = new Game24Task();
    Set<String> test = new HashSet<>(task.examples(Split.TEST, 1).map(Example::input).toList());
    List<String> val = task.examples(Split.VAL, 1).map(Example::input).toList();
    List<String> train = task.examples(Split.TRAIN, 1).map(Example::input).toList();
    Set<String> all = new HashSet<>(test);
    all.addAll(val);
    all.addAll(train);
    assertEquals(test.size() + val.size() + train.size(), all.size());
    // Every solvable puzzle is in exactly one split, except fraction-only puzzles outside test.
    long fractionOnlyOutsideTest = Census.run().needFractions().stream()
        .map(n -> new NumberPuzzle(n, 24).toInput()).filter(in -> !test.contains(in)).count();
    assertEquals(1362 - fractionOnlyOutsideTest, all.size());
    assertTrue(val.size() >= 40 && val.size() <= 60, "val size " + val.size());
    // size() is exact without generating, and the same for every seed.
    assertEquals(List.of(1197, 49, 100), List.of(task.size(Split.TRAIN), task.size(Split.VAL), task.size(Split.TEST)));
    assertEquals(List.of(train.size(), val.size(), test.size()),
        List.of(task.size(Split.TRAIN), task.size(Split.VAL), task.size(Split.TEST)));
    for (long seed : new long[] {0, 4, -7}) {
      assertEquals(task.size(Split.TRAIN), task.examples(Split.TRAIN, seed).count());
    }
  }
}
