package dev.lddm.model.train;

import static org.junit.jupiter.api.Assertions.*;

import dev.lddm.model.Fixtures;
import dev.lddm.model.ModelConfig;
import dev.lddm.model.ModelKind;
import dev.lddm.model.decode.DecodeOptions;
import dev.lddm.model.decode.Sampler;
import dev.lddm.model.graph.Dropout;
import dev.lddm.model.graph.ModelGraph;
import dev.lddm.model.graph.OpNames;
import dev.lddm.model.graph.Tensors;
import dev.lddm.tasks.Example;
import dev.lddm.tasks.token.TokenFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tensorflow.Result;
import org.tensorflow.Tensor;

/** Training with {@link TrainSpec#dropout}: deterministic, really on, training only, and it still trains. */
class TrainerDropoutTest {
  @TempDir Path tmp;

  private static TrainSpec spec(ModelKind kind, long steps) {
    return new TrainSpec("countdown3", kind, "micro", steps, 0, 8, 3e-3, 7, 0, 0, 0.9, 0, 1, 1);
  }

  private List<Double> losses(TrainSpec s, String dir) {
    List<Double> out = new ArrayList<>();
    Trainer.train(s, Fixtures.COUNTDOWN3, Fixtures.SEQ_LEN, tmp.resolve(dir), false,
        (step, total, loss, tps, el) -> out.add(loss));
    return out;
  }

  /**
   * Same seed and dropout 0.1: identical losses in two runs; another seed: other losses; dropout 0.1 changes the
   * first step's loss (same weights and batch: only the masks differ); dropout 0 is the run without the option.
   */
  @ParameterizedTest
  @EnumSource(ModelKind.class)
  void dropoutIsDeterministicAndOn(ModelKind kind) {
    List<Double> plain = losses(spec(kind, 3), "plain");
    List<Double> zero = losses(spec(kind, 3).withDropout(0), "zero");
    List<Double> a = losses(spec(kind, 3).withDropout(0.1), "a");
    List<Double> b = losses(spec(kind, 3).withDropout(0.1), "b");
    List<Double> other = losses(spec(kind, 3).withDropout(0.1).withSeed(8), "other");
    assertEquals(3, a.size());
    assertEquals(plain, zero, "dropout 0 == no dropout, bit for bit");
    assertEquals(a, b, "same seed, same losses");
    assertNotEquals(a.get(0), other.get(0), "another seed, other losses");
    assertNotEquals(plain.get(0), a.get(0), "dropout changes the step-1 loss");
  }

  /** A resumed dropout run reproduces the uninterrupted one: the masks depend on the step, not on the session. */
  @Test
  void resumedDropoutRunEqualsUninterrupted() {
    TrainSpec s = spec(ModelKind.LDDM, 4).withDropout(0.1);
    List<Double> whole = losses(s, "whole");
    Path run = tmp.resolve("resumed");
    List<Double> first = new ArrayList<>();
    assertThrows(IllegalStateException.class, () -> Trainer.train(s.withCheckpointEvery(2), Fixtures.COUNTDOWN3,
        Fixtures.SEQ_LEN, run, Trainer.Start.FRESH, new TrainListener() {
          @Override
          public void onStep(long step, long total, double loss, double tps, double el) {
            first.add(loss);
          }

          @Override
          public void onCheckpoint(long step, Path dir) {
            throw new IllegalStateException("killed");
          }
        }, w -> { }));
    List<Double> rest = new ArrayList<>();
    Trainer.train(s, Fixtures.COUNTDOWN3, Fixtures.SEQ_LEN, run, Trainer.Start.RESUME,
        (st, t, l, tps, el) -> rest.add(l), w -> fail(w));
    first.addAll(rest);
    assertEquals(whole, first);
  }

  /** A micro overfit with dropout 0.1 lowers the loss for every model kind (gradients flow through the masks). */
  @ParameterizedTest
  @EnumSource(ModelKind.class)
  void trainsWithDropout(ModelKind kind) {
    TrainSpec s = new TrainSpec("countdown3", kind, "micro", 80, 0, 16, 3e-3, 7, 0, 10, 0.9, 0, 1, 1)
        .withDropout(0.1);
    List<Double> l = losses(s, "fit");
    double start = l.subList(0, 5).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    double end = l.subList(75, 80).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    assertTrue(end < 0.5 * start, kind + ": loss " + start + " -> " + end);
  }

  /**
   * Decoding a checkpoint trained with dropout: the inference graph has no dropout (built with or without a rate,
   * the logits are identical bit for bit and there is no random-uniform op), and decoding it twice gives the same
   * predictions.
   */
  @ParameterizedTest
  @EnumSource(value = ModelKind.class, names = {"LDDM", "AR"})
  void decodingIgnoresDropout(ModelKind kind) {
    Path run = tmp.resolve("trained");
    TrainResult r = Trainer.train(spec(kind, 4).withDropout(0.1), Fixtures.COUNTDOWN3, Fixtures.SEQ_LEN, run, false,
        TrainListener.NONE);
    ModelConfig c = r.config();
    int[] tokens = new int[Fixtures.COUNTDOWN3.size() * c.seqLen()];
    TokenFormat f = new TokenFormat(c.seqLen());
    for (int i = 0; i < Fixtures.COUNTDOWN3.size(); i++) {
      Example e = Fixtures.COUNTDOWN3.get(i);
      System.arraycopy(f.encode(e.input(), e.output()), 0, tokens, i * c.seqLen(), c.seqLen());
    }
    float[] without = logits(ModelGraph.build(c, ModelGraph.Mode.INFERENCE, 7, 0f, ModelGraph.sessionConfig(1, 1)),
        r.checkpoint(), tokens, kind);
    float[] with = logits(ModelGraph.build(c, ModelGraph.Mode.INFERENCE, 7, 0f, new Dropout(0.1, 8),
        ModelGraph.sessionConfig(1, 1)), r.checkpoint(), tokens, kind);
    assertArrayEquals(without, with, 0f);
    List<String> inputs = Fixtures.COUNTDOWN3.stream().map(Example::input).toList();
    List<String> once;
    try (Sampler s = Sampler.load(run)) {
      once = s.decode(inputs, DecodeOptions.defaults().withBatch(3));
    }
    try (Sampler s = Sampler.load(run)) {
      assertEquals(once, s.decode(inputs, DecodeOptions.defaults().withBatch(5)));
    }
  }

  private static float[] logits(ModelGraph g, Path ckpt, int[] tokens, ModelKind kind) {
    try (g) {
      var ops = g.graph().operations();
      while (ops.hasNext()) {
        assertNotEquals("StatelessRandomUniform", ops.next().type());
      }
      g.restore(ckpt.resolve(Checkpoints.PREFIX));
      int b = tokens.length / g.config().seqLen();
      try (Tensor t = Tensors.ints(tokens, b, g.config().seqLen());
           Tensor h = kind.hasLatent() ? Tensors.floats(new float[tokens.length * g.config().dModel()], b,
               g.config().seqLen(), g.config().dModel()) : null) {
        var runner = g.session().runner().feed(OpNames.TOKENS, t);
        if (h != null) {
          runner.feed(OpNames.LATENT_IN, h);
        }
        try (Result res = runner.fetch(OpNames.LOGITS).run()) {
          return Tensors.read(res.get(0));
        }
      }
    }
  }

  /** The rate is recorded in the checkpoint; resuming with another is refused before any step. */
  @Test
  void resumeWithAnotherDropoutIsRefused() throws Exception {
    Path run = tmp.resolve("run");
    TrainSpec trained = spec(ModelKind.MGDM, 2).withDropout(0.1);
    losses(trained, "run");
    String config = Files.readString(run.resolve("checkpoints/step-0000002/config.json"));
    assertTrue(config.contains("\"dropout\": 0.1"), config);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Trainer.check(trained.withDropout(0), Fixtures.SEQ_LEN, run, Trainer.Start.RESUME));
    assertEquals("--resume: the run was trained with --dropout 0.1, not 0; use a new --out or the same value",
        e.getMessage());
    Trainer.check(trained, Fixtures.SEQ_LEN, run, Trainer.Start.RESUME);
  }

  /** A checkpoint written before the field existed has no "dropout": it was trained without, and resumes so. */
  @Test
  void checkpointWithoutTheFieldMeansNoDropout() throws Exception {
    Path run = tmp.resolve("old");
    TrainSpec trained = spec(ModelKind.MGDM, 2);
    losses(trained, "old");
    Path cfg = run.resolve("checkpoints/step-0000002/config.json");
    String text = Files.readString(cfg);
    String stripped = text.replaceAll(",\\s*\"dropout\": 0\\.0", "");
    assertNotEquals(text, stripped, "the field was written");
    Files.writeString(cfg, stripped);
    assertEquals(0.0, Checkpoints.readMeta(cfg.getParent()).train().dropout());
    Trainer.check(trained, Fixtures.SEQ_LEN, run, Trainer.Start.RESUME);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Trainer.check(trained.withDropout(0.1), Fixtures.SEQ_LEN, run, Trainer.Start.RESUME));
    assertEquals("--resume: the run was trained with --dropout 0, not 0.1; use a new --out or the same value",
        e.getMessage());
  }

  @Test
  void badRatesAreRejectedBySpec() {
    for (double bad : new double[] {1, -0.1, Double.NaN, 1.5}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> spec(ModelKind.MGDM, 2).withDropout(bad));
      assertEquals("dropout must be in [0, 1), got " + bad, e.getMessage());
    }
  }
}
