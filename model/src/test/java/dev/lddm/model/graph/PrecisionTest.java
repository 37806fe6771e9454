package dev.lddm.model.graph;

import static org.junit.jupiter.api.Assertions.*;

import dev.lddm.model.Fixtures;
import dev.lddm.model.ModelConfig;
import dev.lddm.model.ModelKind;
import dev.lddm.model.Precision;
import dev.lddm.model.decode.Sampler;
import dev.lddm.model.train.Checkpoints;
import dev.lddm.model.train.TrainListener;
import dev.lddm.model.train.TrainResult;
import dev.lddm.model.train.TrainSpec;
import dev.lddm.model.train.Trainer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tensorflow.GraphOperation;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;

/** Mixed precision ({@link Precision#BF16}) against float32 on micro models. */
class PrecisionTest {
  private static final int L = 16;
  private static final int B = 4;

  @TempDir Path tmp;

  private static int[] randomTokens() {
    return TestTokens.random(3, B * L);
  }

  /** Logits (and LDDM's latent) of a freshly initialised inference graph. */
  private static List<float[]> forward(ModelConfig c) {
    try (ModelGraph g = ModelGraph.build(c, ModelGraph.Mode.INFERENCE, 11, 0f, ModelGraph.sessionConfig(1, 1))) {
      g.initialize();
      // Larger weights than GPT-2's 0.02 init, so the logits are O(1) and rounding shows.
      Session s = g.session();
      List<String> assigns = new ArrayList<>();
      try (Tensor tok = Tensors.ints(randomTokens(), B, L)) {
        Session.Runner r = s.runner().feed(OpNames.TOKENS, tok).fetch(OpNames.LOGITS);
        Tensor latent = null;
        if (c.kind().hasLatent()) {
          float[] h = new float[B * L * c.dModel()];
          SplittableRandom rnd = new SplittableRandom(5);
          for (int i = 0; i < h.length; i++) {
            h[i] = (float) rnd.nextGaussian();
          }
          latent = Tensors.floats(h, B, L, c.dModel());
          r.feed(OpNames.LATENT_IN, latent).fetch(OpNames.LATENT_OUT);
        }
        try (Result res = r.run()) {
          List<float[]> out = new ArrayList<>();
          out.add(Tensors.read(res.get(0)));
          if (c.kind().hasLatent()) {
            out.add(Tensors.read(res.get(1)));
          }
          return out;
        } finally {
          if (latent != null) {
            latent.close();
          }
        }
      }
    }
  }

  private static double maxAbs(float[] a) {
    double m = 0;
    for (float x : a) {
      m = Math.max(m, Math.abs(x));
    }
    return m;
  }

  private static double maxDiff(float[] a, float[] b) {
    assertEquals(a.length, b.length);
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }

  /**
   * bf16 rounds each product's operands to 8 significant bits (relative 2^-9); through 2 blocks the logits
   * stay within 2% of their scale of the float32 ones, and differ (the bf16 path is really taken).
   */
  @ParameterizedTest
  @EnumSource(ModelKind.class)
  void bf16ForwardIsCloseToFp32(ModelKind kind) {
    ModelConfig fp32 = ModelConfig.preset(kind, "micro", L);
    assertEquals(Precision.FP32, fp32.precision());
    List<float[]> want = forward(fp32);
    List<float[]> got = forward(fp32.withPrecision(Precision.BF16));
    for (int i = 0; i < want.size(); i++) {
      double scale = maxAbs(want.get(i));
      double diff = maxDiff(want.get(i), got.get(i));
      assertTrue(scale > 0.05, "output " + i + " scale " + scale);
      assertTrue(diff > 0, "bf16 output " + i + " equals fp32 bit for bit: the bf16 path is not in the graph");
      assertTrue(diff <= 0.02 * scale, kind + " output " + i + ": max |bf16 - fp32| = " + diff + " > 2% of " + scale);
    }
  }

  /**
   * Every dense product ({@code MatMul}) of a bf16 training graph, forward and backward, runs in bf16; the
   * attention's batched products stay float32, as {@code Einsum} ops (forward and backward; no {@code BatchMatMul},
   * whose CPU kernel runs one GEMM per matrix); fp32 graphs have no bf16 product and keep {@code BatchMatMul}.
   */
  @Test
  void bf16GraphsMultiplyDenseProductsInBf16() {
    ModelConfig c = ModelConfig.preset(ModelKind.LDDM, "micro", L);
    for (Precision p : Precision.values()) {
      try (ModelGraph g = ModelGraph.build(c.withPrecision(p), ModelGraph.Mode.TRAINING, 1, 0f,
          ModelGraph.sessionConfig(1, 1))) {
        int dense = 0;
        int denseBf16 = 0;
        int einsum = 0;
        int batchMatMul = 0;
        for (var it = g.graph().operations(); it.hasNext(); ) {
          GraphOperation op = (GraphOperation) it.next();
          boolean bf16 = op.numOutputs() > 0 && op.output(0).dataType() == org.tensorflow.proto.DataType.DT_BFLOAT16;
          if (op.type().startsWith("BatchMatMul")) {
            batchMatMul++;
            assertFalse(bf16, op.name() + " runs in bf16");
          }
          if (op.type().equals("MatMul")) {
            dense++;
            denseBf16 += bf16 ? 1 : 0;
          } else if (op.type().equals("Einsum")) {
            einsum++;
            assertFalse(bf16, op.name() + " runs in bf16");
          }
        }
        // micro: 2 blocks x 4 dense products, plus the head, each 3 times (forward, two gradients), twice (LDDM).
        assertTrue(dense > 20, "dense products " + dense);
        int attention = p == Precision.BF16 ? einsum : batchMatMul;
        assertTrue(attention >= 2 * 2 * 3 * 2, p + ": attention products " + attention);
        assertEquals(0, p == Precision.BF16 ? batchMatMul : einsum, p + ": the other kind of attention product");
        assertEquals(p == Precision.BF16 ? dense : 0, denseBf16, p + ": bf16 dense products of " + dense);
      }
    }
  }

  /** A bf16 model learns: over 30 steps on 8 problems its loss falls as the float32 model's does. */
  @ParameterizedTest
  @EnumSource(ModelKind.class)
  void bf16LossFallsLikeFp32(ModelKind kind) {
    TrainSpec s = new TrainSpec("countdown3", kind, "micro", 30, 0, 8, 3e-3, 7, 0, 0, 0.9, 0, 1, 1);
    double[] fp32 = firstAndLast(s, tmp.resolve(kind.id() + "-fp32"));
    double[] bf16 = firstAndLast(s.withPrecision(Precision.BF16), tmp.resolve(kind.id() + "-bf16"));
    String what = kind + ": fp32 loss " + fp32[0] + " -> " + fp32[1] + ", bf16 " + bf16[0] + " -> " + bf16[1];
    assertTrue(bf16[1] < 0.7 * bf16[0], what);
    assertTrue(Math.abs(bf16[1] - fp32[1]) < 0.1 * fp32[0], what);
  }

  /** The mean loss of the first three and of the last three steps. */
  private static double[] firstAndLast(TrainSpec s, Path dir) {
    List<Double> losses = new ArrayList<>();
    Trainer.train(s, Fixtures.COUNTDOWN3, Fixtures.SEQ_LEN, dir, false, (step, total, loss, tps, el) -> losses.add(loss));
    int n = losses.size();
    return new double[] {(losses.get(0) + losses.get(1) + losses.get(2)) / 3,
        (losses.get(n - 1) + losses.get(n - 2) + losses.get(n - 3)) / 3};
  }

  /**
   * The checkpoint's config records bf16 (model and training settings); a config written before the field
   * existed reads as fp32; loading a bf16 run for decoding builds the bf16 graph.
   */
  @Test
  void checkpointsRecordThePrecisionAndSamplersUseIt() throws Exception {
    Path run = tmp.resolve("bf16");
    TrainSpec s = new TrainSpec("countdown3", ModelKind.MGDM, "micro", 3, 0, 8, 3e-3, 7, 0, 0, 0.9, 0, 1, 1)
        .withPrecision(Precision.BF16);
    TrainResult r = Trainer.train(s, Fixtures.COUNTDOWN3, Fixtures.SEQ_LEN, run, false, TrainListener.NONE);
    assertEquals(Precision.BF16, r.config().precision());
    Path cfg = r.checkpoint().resolve(Checkpoints.CONFIG);
    String json = Files.readString(cfg, StandardCharsets.UTF_8);
    assertEquals(2, json.split("\"precision\": \"BF16\"", -1).length - 1, json);
    Checkpoints.Meta meta = Checkpoints.readMeta(r.checkpoint());
    assertEquals(Precision.BF16, meta.model().precision());
    assertEquals(Precision.BF16, meta.train().precision());
    try (Sampler sampler = Sampler.load(run)) {
      assertEquals(Precision.BF16, sampler.config().precision());
    }
    Files.writeString(cfg, json.replaceAll(",\\s*\"precision\": \"BF16\"", ""), StandardCharsets.UTF_8);
    assertFalse(Files.readString(cfg).contains("precision"));
    Checkpoints.Meta old = Checkpoints.readMeta(r.checkpoint());
    assertEquals(Precision.FP32, old.model().precision());
    assertEquals(Precision.FP32, old.train().precision());
  }

  @Test
  void parseNamesTheKnownPrecisions() {
    assertEquals(Precision.BF16, Precision.parse("BF16"));
    assertEquals(Precision.FP32, Precision.parse("fp32"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Precision.parse("fp16"));
    assertEquals("Unknown precision 'fp16'. Known: fp32, bf16", e.getMessage());
  }
}
