package dev.lddm.model.decode;

import static org.junit.jupiter.api.Assertions.*;

import dev.lddm.model.Fixtures;
import dev.lddm.model.ModelConfig;
import dev.lddm.model.ModelKind;
import dev.lddm.model.graph.ModelGraph;
import dev.lddm.model.graph.Tensors;
import dev.lddm.model.train.Checkpoints;
import dev.lddm.model.train.TrainListener;
import dev.lddm.model.train.TrainSpec;
import dev.lddm.model.train.Trainer;
import dev.lddm.tasks.Example;
import dev.lddm.tasks.token.Vocabulary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

class SamplerTest {
  @TempDir static Path tmp;
  static Path lddmRun;

  /** A briefly trained micro LDDM: LN_h's gain and bias have moved away from zero. */
  @BeforeAll
  static void train() {
    lddmRun = tmp.resolve("lddm");
    TrainSpec s = new TrainSpec("countdown3", ModelKind.LDDM, "micro", 40, 0, 8, 3e-3, 3, 0, 0, 0.9, 0, 1, 1);
    Trainer.train(s, Fixtures.COUNTDOWN3, Fixtures.SEQ_LEN, lddmRun, false, TrainListener.NONE);
  }

  private static List<String> inputs() {
    return Fixtures.COUNTDOWN3.stream().map(Example::input).toList();
  }

  @Test
  void decoderNeverAltersSourceTokens() {
    List<String> in = inputs();
    for (ModelKind kind : List.of(ModelKind.MGDM, ModelKind.LDDM)) {
      ModelConfig c = ModelConfig.preset(kind, "micro", Fixtures.SEQ_LEN);
      ModelGraph g = ModelGraph.build(c, ModelGraph.Mode.INFERENCE, 1, 0f, ModelGraph.sessionConfig(1, 1));
      g.initialize();
      try (Sampler untrained = Sampler.of(g); Sampler trained = Sampler.load(lddmRun)) {
        for (Sampler s : List.of(untrained, trained)) {
          for (Decoder d : Decoder.values()) {
            AtomicInteger calls = new AtomicInteger();
            List<int[]> ids = s.decodeIds(in, DecodeOptions.defaults().withDecoder(d).withBatch(5),
                (step, ex, tokens, start, probs) -> {
                  calls.incrementAndGet();
                  assertEquals(Fixtures.SEQ_LEN - start, probs.length);
                  assertEquals(in.get(ex).length() + 1, start);
                  assertEquals(1.0, sum(probs[0]), 1e-4);
                });
            assertEquals(in.size() * DecodeOptions.DEFAULT_STEPS, calls.get());
            for (int j = 0; j < in.size(); j++) {
              int[] row = ids.get(j);
              String input = in.get(j);
              for (int i = 0; i < input.length(); i++) {
                assertEquals(Vocabulary.idOf(input.charAt(i)), row[i], d + " changed source position " + i);
              }
              assertEquals(Vocabulary.SEP, row[input.length()]);
              for (int i = input.length() + 1; i < row.length; i++) {
                assertNotEquals(Vocabulary.MASK, row[i], "no [MASK] left after the last step");
              }
            }
          }
        }
      }
    }
  }

  private static double sum(float[] p) {
    double s = 0;
    for (float x : p) {
      s += x;
    }
    return s;
  }

  @Test
  void inputsThatDoNotFitGiveAnEmptyPrediction() {
    try (Sampler s = Sampler.load(lddmRun)) {
      List<String> in = List.of("1".repeat(Fixtures.SEQ_LEN + 5), "12,7,3,81", "1".repeat(Fixtures.SEQ_LEN - 1), "x,y");
      List<String> out = s.decode(in, DecodeOptions.defaults());
      assertEquals("", out.get(0));
      assertEquals("", out.get(2));
      assertEquals("", out.get(3));
      assertEquals(4, out.size());
    }
  }

  @Test
  void sameSeedSameOutputIndependentOfBatch() {
    try (Sampler s = Sampler.load(lddmRun)) {
      DecodeOptions o = DecodeOptions.defaults().withDecoder(Decoder.MASKED_ONLY);
      assertEquals(s.decode(inputs(), o.withBatch(8)), s.decode(inputs(), o.withBatch(3)));
      assertEquals(s.decode(inputs(), o.withLatentReset(5)), s.decode(inputs(), o.withLatentReset(5).withBatch(2)));
    }
  }

  /**
   * With the latent off (h = 0 every step) LDDM adds LN_h(0) = beta_h to the positions, so it must decode
   * exactly like the same weights in an MGDM graph (no latent path) whose positions are P + beta_h.
   */
  @Test
  void latentOffDecodesLikeTheNetworkWithoutTheLatentPath() {
    Path ckpt = Checkpoints.latest(lddmRun).orElseThrow();
    try (Sampler lddm = Sampler.load(lddmRun)) {
      float[] beta = fetch(lddm, "model/ln_h_b");
      float[] gain = fetch(lddm, "model/ln_h_g");
      assertTrue(maxAbs(beta) > 0 && maxAbs(gain) > 0, "training moved LN_h away from zero");
      ModelConfig mc = ModelConfig.preset(ModelKind.MGDM, "micro", Fixtures.SEQ_LEN);
      ModelGraph g = ModelGraph.build(mc, ModelGraph.Mode.INFERENCE, 0, 0f, ModelGraph.sessionConfig(1, 1));
      g.restore(ckpt.resolve(Checkpoints.PREFIX));
      try (Sampler mgdm = Sampler.of(g)) {
        float[] wpe = fetch(mgdm, "model/wpe");
        int d = mc.dModel();
        float[][] shifted = new float[mc.seqLen()][d];
        for (int i = 0; i < mc.seqLen(); i++) {
          for (int k = 0; k < d; k++) {
            shifted[i][k] = wpe[i * d + k] + beta[k];
          }
        }
        Ops tf = Ops.create(g.graph());
        g.session().run(tf.assign(g.weights().wpe(), tf.constant(shifted)));
        for (Decoder dec : Decoder.values()) {
          DecodeOptions o = DecodeOptions.defaults().withDecoder(dec).withLatent(false);
          List<int[]> a = lddm.decodeIds(inputs(), o, null);
          List<int[]> b = mgdm.decodeIds(inputs(), o, null);
          for (int j = 0; j < a.size(); j++) {
            assertArrayEquals(b.get(j), a.get(j), dec + " example " + j);
          }
          List<float[]> la = new ArrayList<>();
          List<float[]> lb = new ArrayList<>();
          mgdm.decodeIds(inputs(), o, (st, ex, tok, start, probs) -> lb.add(probs[0]));
          lddm.decodeIds(inputs(), o, (st, ex, tok, start, probs) -> la.add(probs[0]));
          for (int i = 0; i < la.size(); i++) {
            assertArrayEquals(lb.get(i), la.get(i), 0f);
          }
        }
      }
    }
  }

  private static float[] fetch(Sampler s, String op) {
    try (Result r = s.graphForTests().session().runner().fetch(op).run()) {
      return Tensors.read((TFloat32) r.get(0));
    }
  }

  private static double maxAbs(float[] a) {
    double m = 0;
    for (float x : a) {
      m = Math.max(m, Math.abs(x));
    }
    return m;
  }

  /**
   * AR greedy decoding: keeps {@code input [SEP]}, reports one next-token distribution per generated
   * position, leaves only {@code [PAD]} after {@code [EOS]}, ignores the diffusion options and does not depend
   * on the batch size; each generated token is the argmax of the logits one position earlier.
   */
  @Test
  void arGreedyDecodingGeneratesLeftToRight() {
    List<String> in = inputs();
    ModelConfig c = ModelConfig.preset(ModelKind.AR, "micro", Fixtures.SEQ_LEN);
    ModelGraph g = ModelGraph.build(c, ModelGraph.Mode.INFERENCE, 1, 0f, ModelGraph.sessionConfig(1, 1));
    g.initialize();
    try (Sampler s = Sampler.of(g)) {
      List<int[]> calls = new ArrayList<>();
      List<int[]> ids = s.decodeIds(in, DecodeOptions.defaults().withBatch(3),
          (step, ex, tokens, start, probs) -> {
            assertEquals(in.get(ex).length() + 1, start);
            assertEquals(1, probs.length);
            assertEquals(1.0, sum(probs[0]), 1e-4);
            for (int i = start + step; i < tokens.length; i++) {
              assertEquals(Vocabulary.PAD, tokens[i], "not generated yet");
            }
            calls.add(new int[] {ex, step, argmax(probs[0])});
          });
      int expectedCalls = 0;
      for (int j = 0; j < in.size(); j++) {
        int[] row = ids.get(j);
        String input = in.get(j);
        int src = input.length() + 1;
        for (int i = 0; i < input.length(); i++) {
          assertEquals(Vocabulary.idOf(input.charAt(i)), row[i]);
        }
        assertEquals(Vocabulary.SEP, row[input.length()]);
        int end = src;
        while (end < row.length && row[end] != Vocabulary.EOS) {
          end++;
        }
        for (int i = end + 1; i < row.length; i++) {
          assertEquals(Vocabulary.PAD, row[i], "nothing after [EOS]");
        }
        expectedCalls += Math.min(end, row.length - 1) - src + 1;
        // The generated token equals the argmax of one full forward over the final sequence (causality).
        float[] logits = s.forward(row, 1, null)[0];
        for (int i = src; i <= Math.min(end, row.length - 1); i++) {
          assertEquals(row[i], argmax(Arrays.copyOfRange(logits, (i - 1) * c.vocab(), i * c.vocab())), "position " + i);
        }
      }
      assertEquals(expectedCalls, calls.size());
      for (int[] call : calls) {
        assertEquals(ids.get(call[0])[in.get(call[0]).length() + 1 + call[1]], call[2]);
      }
      DecodeOptions other = new DecodeOptions(3, Decoder.MASKED_ONLY, 99, 8, false, 2);
      assertEquals(s.decode(in, DecodeOptions.defaults().withBatch(3)), s.decode(in, other));
      assertEquals("", s.decode(List.of("1".repeat(Fixtures.SEQ_LEN - 1)), other).get(0));
    }
  }

  private static int argmax(float[] p) {
    int a = 0;
    for (int k = 1; k < p.length; k++) {
      if (p[k] > p[a]) {
        a = k;
      }
    }
    return a;
  }
}
