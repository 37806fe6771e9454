package dev.lddm.model.decode;

import static org.junit.jupiter.api.Assertions.*;

import dev.lddm.model.Fixtures;
import dev.lddm.model.ModelKind;
import dev.lddm.model.train.TrainListener;
import dev.lddm.model.train.TrainSpec;
import dev.lddm.model.train.Trainer;
import dev.lddm.tasks.Example;
import dev.lddm.tasks.Split;
import dev.lddm.tasks.TaskRegistry;
import dev.lddm.tasks.token.Vocabulary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fast decoding path (no observer) against the reference path ({@link ReferenceDecoding}: full logits, Java
 * doubles, one run per chunk) on briefly trained micro models: the same sequences, bit for bit, for MGDM, LDDM
 * (latent on, off, reset), AR, both decoders, several seeds and batch sizes (chunks cut into several runs, runs of
 * one sequence, inputs that do not fit among them).
 */
class FastDecodingTest {
  @TempDir static Path tmp;
  static final Map<ModelKind, Path> RUNS = new EnumMap<>(ModelKind.class);
  static List<String> inputs;

  @BeforeAll
  static void train() {
    List<Example> data = TaskRegistry.get("countdown3").generate(Split.TRAIN, 64, 4);
    for (ModelKind kind : ModelKind.values()) {
      Path run = tmp.resolve(kind.id());
      // AR longer, so that it ends its answers with [EOS] at different positions (runs finish at different steps)
      TrainSpec s = new TrainSpec("countdown3", kind, "micro", kind.isAutoregressive() ? 150 : 40, 0, 16, 3e-3, 3,
          0, 0, 0.9, 0, 1, 1);
      Trainer.train(s, data, Fixtures.SEQ_LEN, run, false, TrainListener.NONE);
      RUNS.put(kind, run);
    }
    List<String> in = new ArrayList<>(TaskRegistry.get("countdown3").generate(Split.TEST, 110, 4).stream()
        .map(Example::input).toList());
    in.add(3, "1".repeat(Fixtures.SEQ_LEN + 2)); // does not fit
    in.add(60, "x,y");                           // not in the vocabulary
    in.add(97, "1".repeat(Fixtures.SEQ_LEN - 1)); // no target position left
    inputs = List.copyOf(in);
  }

  static Stream<Arguments> diffusionCases() {
    DecodeOptions d = DecodeOptions.defaults();
    return Stream.of(
        Arguments.of(ModelKind.MGDM, d.withDecoder(Decoder.MASKED_ONLY).withSeed(1)),
        Arguments.of(ModelKind.MGDM, d.withDecoder(Decoder.REMASK).withSeed(2)),
        Arguments.of(ModelKind.MGDM, d.withDecoder(Decoder.REMASK).withSeed(3).withBatch(50)),
        Arguments.of(ModelKind.MGDM, d.withDecoder(Decoder.MASKED_ONLY).withSeed(4).withBatch(7).withSteps(7)),
        Arguments.of(ModelKind.LDDM, d.withDecoder(Decoder.MASKED_ONLY).withSeed(1)),
        Arguments.of(ModelKind.LDDM, d.withDecoder(Decoder.REMASK).withSeed(2).withBatch(100)),
        Arguments.of(ModelKind.LDDM, d.withDecoder(Decoder.MASKED_ONLY).withSeed(3).withLatent(false)),
        Arguments.of(ModelKind.LDDM, d.withDecoder(Decoder.REMASK).withSeed(4).withLatent(false).withBatch(49)),
        Arguments.of(ModelKind.LDDM, d.withDecoder(Decoder.MASKED_ONLY).withSeed(5).withLatentReset(3)),
        Arguments.of(ModelKind.LDDM, d.withDecoder(Decoder.REMASK).withSeed(6).withLatentReset(4).withBatch(97)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("diffusionCases")
  void diffusionFastPathEqualsTheReference(ModelKind kind, DecodeOptions o) {
    try (Sampler s = Sampler.load(RUNS.get(kind))) {
      assertSame(kind, s.config().kind());
      assertSameSequences(s.decodeIdsReference(inputs, o), s.decodeIds(inputs, o, null), kind + " " + o);
    }
  }

  @Test
  void arFastPathEqualsTheReference() {
    try (Sampler s = Sampler.load(RUNS.get(ModelKind.AR))) {
      List<int[]> ref = s.decodeIdsReference(inputs, DecodeOptions.defaults());
      int[] ends = ref.stream().filter(r -> r != null).mapToInt(FastDecodingTest::eosAt).distinct().toArray();
      assertTrue(ends.length > 1, "the trained AR ends its answers at different positions");
      for (int batch : new int[] {256, 50, 7, 1}) {
        assertSameSequences(ref, s.decodeIds(inputs, DecodeOptions.defaults().withBatch(batch), null), "AR batch " + batch);
      }
    }
  }

  static Stream<Arguments> parallelCases() {
    DecodeOptions d = DecodeOptions.defaults();
    List<Arguments> cases = new ArrayList<>();
    for (int workers : new int[] {2, 3, 8}) {
      cases.add(Arguments.of(ModelKind.MGDM, d.withDecoder(Decoder.REMASK).withSeed(2).withBatch(50), workers));
      cases.add(Arguments.of(ModelKind.LDDM, d.withDecoder(Decoder.MASKED_ONLY).withSeed(1), workers));
      cases.add(Arguments.of(ModelKind.LDDM, d.withDecoder(Decoder.REMASK).withSeed(6).withLatentReset(4)
          .withBatch(97), workers));
      cases.add(Arguments.of(ModelKind.AR, d.withBatch(50), workers));
    }
    return cases.stream();
  }

  /**
   * Several runs decoding at once (chunks of 50 and 97 are cut into runs of 48 and the rest, 256 into 48s and 17):
   * the same sequences as the sequential reference, for every worker count.
   */
  @ParameterizedTest(name = "{0} {1} workers={2}")
  @MethodSource("parallelCases")
  void parallelRunsEqualTheReference(ModelKind kind, DecodeOptions o, int workers) {
    try (Sampler s = Sampler.load(RUNS.get(kind))) {
      List<int[]> ref = s.decodeIdsReference(inputs, o);
      s.setDecodeWorkers(workers);
      assertSameSequences(ref, s.decodeIds(inputs, o, null), kind + " " + o + " workers " + workers);
    }
  }

  @Test
  void decodeWorkersMustBePositive() {
    try (Sampler s = Sampler.load(RUNS.get(ModelKind.MGDM))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.setDecodeWorkers(0));
      assertEquals("decode workers must be at least 1, got 0", e.getMessage());
    }
  }

  /** With an infinite margin every ranking is redone exactly (the fallback path alone): still the reference. */
  @Test
  void exactRerankingAloneEqualsTheReference() {
    try (Sampler s = Sampler.load(RUNS.get(ModelKind.LDDM))) {
      DecodeOptions o = DecodeOptions.defaults().withDecoder(Decoder.REMASK).withSeed(9);
      List<int[]> ref = s.decodeIdsReference(inputs, o);
      FastDecoding fast = s.fastForTests();
      long before = fast.exactReranks.sum();
      assertSameSequences(ref, s.decodeIds(inputs, o, null), "default margin");
      assertTrue(fast.exactReranks.sum() > before, "near ties occur and are re-ranked exactly");
      fast.margin = Double.POSITIVE_INFINITY;
      before = fast.exactReranks.sum();
      assertSameSequences(ref, s.decodeIds(inputs, o, null), "every ranking exact");
      long fits = inputs.stream().filter(i -> i.length() + 1 < Fixtures.SEQ_LEN && i.chars().allMatch(
          ch -> Vocabulary.idOf((char) ch) >= 0)).count();
      assertEquals(fits * (o.steps() - 1), fast.exactReranks.sum() - before,
          "one exact re-ranking per example and step t > 0");
    }
  }

  @Test
  void certainOnlyWhenTheBoundaryGapExceedsTwiceTheMargin() {
    try (Sampler s = Sampler.load(RUNS.get(ModelKind.MGDM))) {
      FastDecoding f = s.fastForTests();
      f.margin = 0.1;
      double inf = Double.POSITIVE_INFINITY;
      double[] noisy = {-3.0, -1.0, -0.85, 0.5, inf};
      int[] order = {0, 1, 2, 3, 4};
      assertTrue(f.certain(noisy, order, 0), "nothing masked");
      assertTrue(f.certain(noisy, order, 1), "gap 2.0");
      assertFalse(f.certain(noisy, order, 2), "gap 0.15 <= 0.2");
      assertTrue(f.certain(noisy, order, 3), "gap 1.35");
      assertTrue(f.certain(noisy, order, 4), "boundary between a finite and a kept position");
      assertTrue(f.certain(noisy, order, 5), "everything masked");
      double[] kept = {-1.0, -0.95, inf, inf};
      assertTrue(f.certain(kept, new int[] {0, 1, 2, 3}, 3), "every finite position is masked either way");
      assertFalse(f.certain(kept, new int[] {0, 1, 2, 3}, 1));
    }
  }

  private static int eosAt(int[] row) {
    for (int i = 0; i < row.length; i++) {
      if (row[i] == Vocabulary.EOS) {
        return i;
      }
    }
    return row.length;
  }

  private static void assertSameSequences(List<int[]> expected, List<int[]> actual, String what) {
    assertEquals(expected.size(), actual.size(), what);
    for (int j = 0; j < expected.size(); j++) {
      assertArrayEquals(expected.get(j), actual.get(j), what + ": example " + j);
    }
  }
}
