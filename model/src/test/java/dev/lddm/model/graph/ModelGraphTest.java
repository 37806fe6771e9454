package dev.lddm.model.graph;

import static org.junit.jupiter.api.Assertions.*;

import dev.lddm.model.ModelConfig;
import dev.lddm.model.ModelKind;
import dev.lddm.tasks.token.TokenFormat;
import dev.lddm.tasks.token.Vocabulary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

class ModelGraphTest {
  private static final int L = 12;
  private static final int B = 3;

  @TempDir Path tmp;

  private static int[] randomTokens(long seed) {
    return TestTokens.random(seed, B * L);
  }

  @Test
  void lossMatchesPlainJavaReference() {
    ModelConfig c = ModelConfig.preset(ModelKind.MGDM, "micro", L);
    int[] targets = randomTokens(1);
    int[] tokens = targets.clone();
    float[] mask = new float[B * L];
    SplittableRandom r = new SplittableRandom(2);
    for (int i = 0; i < mask.length; i++) {
      if (i % L >= 4 && r.nextDouble() < 0.5) {
        mask[i] = 1;
        tokens[i] = Vocabulary.MASK;
      }
    }
    float[] tw = {20, 7, 1};
    try (ModelGraph g = ModelGraph.build(c, ModelGraph.Mode.TRAINING, 5, 0f, ModelGraph.sessionConfig(1, 1))) {
      g.initialize();
      try (Tensor tok = Tensors.ints(tokens, B, L); Tensor tgt = Tensors.ints(targets, B, L);
           Tensor m = Tensors.floats(mask, B, L); Tensor w = Tensors.floats(tw, B);
           Result res = g.session().runner().feed(OpNames.TOKENS, tok).feed(OpNames.TARGETS, tgt)
               .feed(OpNames.LOSS_MASK, m).feed(OpNames.TIME_WEIGHT, w)
               .fetch(OpNames.LOGITS).fetch(OpNames.LOSS).run()) {
        float[] logits = Tensors.read(res.get(0));
        float loss = Tensors.readScalar(res.get(1));
        double ref = DiffusionLoss.reference(logits, targets, mask, tw, B, L, c.vocab());
        assertTrue(ref > 0);
        assertEquals(ref, loss, 1e-5 * ref, "graph loss vs Java reference");
      }
    }
  }

  @Test
  void parameterCountMatchesTheGraphVariables() {
    for (ModelKind kind : ModelKind.values()) {
      ModelConfig c = ModelConfig.preset(kind, "micro", L);
      try (ModelGraph g = ModelGraph.build(c, ModelGraph.Mode.INFERENCE, 5, 0f, ModelGraph.sessionConfig(1, 1))) {
        long n = 0;
        for (Variable<TFloat32> v : g.weights().all()) {
          n += v.shape().size();
        }
        assertEquals(c.parameterCount(), n, kind.id());
      }
    }
  }

  @Test
  void lddmAtInitialisationEqualsMgdmWithTheSameWeights() {
    int[] tokens = randomTokens(3);
    ModelConfig mc = ModelConfig.preset(ModelKind.MGDM, "micro", L);
    ModelConfig lc = ModelConfig.preset(ModelKind.LDDM, "micro", L);
    float[] h = new float[B * L * lc.dModel()];
    SplittableRandom r = new SplittableRandom(4);
    for (int i = 0; i < h.length; i++) {
      h[i] = (float) r.nextGaussian() * 3;
    }
    float[] mgdm;
    try (ModelGraph g = ModelGraph.build(mc, ModelGraph.Mode.INFERENCE, 11, 0f, ModelGraph.sessionConfig(1, 1))) {
      g.initialize();
      try (Tensor tok = Tensors.ints(tokens, B, L);
           Result res = g.session().runner().feed(OpNames.TOKENS, tok).fetch(OpNames.LOGITS).run()) {
        mgdm = Tensors.read(res.get(0));
      }
    }
    try (ModelGraph g = ModelGraph.build(lc, ModelGraph.Mode.INFERENCE, 11, 0f, ModelGraph.sessionConfig(1, 1))) {
      g.initialize();
      try (Tensor tok = Tensors.ints(tokens, B, L); Tensor ht = Tensors.floats(h, B, L, lc.dModel());
           Result res = g.session().runner().feed(OpNames.TOKENS, tok).feed(OpNames.LATENT_IN, ht)
               .fetch(OpNames.LOGITS).fetch(OpNames.LATENT_OUT).run()) {
        assertArrayEquals(mgdm, Tensors.read(res.get(0)), 0f, "LN_h is zero at init: LDDM == MGDM");
        assertEquals(B * L * lc.dModel(), Tensors.read(res.get(1)).length);
      }
    }
  }

  /**
   * The two-pass LDDM loss: gradients equal those of pass 2 fed h_0 as a constant (no gradient reaches
   * pass 1), while the same graph without stopGradient gives different gradients (the check is sensitive).
   */
  @Test
  void noGradientReachesPassOne() {
    ModelConfig c = ModelConfig.preset(ModelKind.LDDM, "micro", L);
    int[] targets = randomTokens(6);
    int[] tokens = targets.clone();
    float[] mask = new float[B * L];
    for (int i = 0; i < mask.length; i += 2) {
      mask[i] = 1;
      tokens[i] = Vocabulary.MASK;
    }
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Operand<TInt32> tok = tf.withName("tok").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, L)));
      Operand<TInt32> tgt = tf.withName("tgt").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, L)));
      Operand<TFloat32> msk = tf.withName("msk").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, L)));
      Operand<TFloat32> tw = tf.withName("tw").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
      Operand<TFloat32> zeros = tf.withName("zeros").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, L, c.dModel())));
      Operand<TFloat32> fedH = tf.withName("fedH").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, L, c.dModel())));
      Backbone.Weights w = Backbone.createWeights(tf, c, 21);
      // Give LN_h a non-zero gain so h actually influences pass 2.
      Op setGain = tf.assign(w.latentNorm().gain(), tf.fill(tf.constant(new int[] {c.dModel()}), tf.constant(1f)));
      Backbone.Output p1 = Backbone.forward(tf, c, w, tok, zeros);
      Operand<TFloat32> lossStop = DiffusionLoss.build(tf, c.vocab(),
          Backbone.forward(tf, c, w, tok, tf.stopGradient(p1.latent())).logits(), tgt, msk, tw);
      Operand<TFloat32> lossFed = DiffusionLoss.build(tf, c.vocab(),
          Backbone.forward(tf, c, w, tok, fedH).logits(), tgt, msk, tw);
      Operand<TFloat32> lossThrough = DiffusionLoss.build(tf, c.vocab(),
          Backbone.forward(tf, c, w, tok, p1.latent()).logits(), tgt, msk, tw);
      List<Variable<TFloat32>> vars = w.all();
      Output<?>[] xs = vars.stream().map(Variable::asOutput).toArray(Output<?>[]::new);
      Output<?>[] gStop = graph.addGradients(lossStop.asOutput(), xs);
      Output<?>[] gFed = graph.addGradients(lossFed.asOutput(), xs);
      Output<?>[] gThrough = graph.addGradients(lossThrough.asOutput(), xs);
      try (Session s = new Session(graph, ModelGraph.sessionConfig(1, 1))) {
        s.initialize();
        s.run(setGain);
        try (Tensor tT = Tensors.ints(tokens, B, L); Tensor gT = Tensors.ints(targets, B, L);
             Tensor mT = Tensors.floats(mask, B, L); Tensor wT = Tensors.floats(new float[] {20, 10, 3}, B);
             Tensor zT = Tensors.floats(new float[B * L * c.dModel()], B, L, c.dModel())) {
          float[] h0;
          try (Result r = s.runner().feed("tok", tT).feed("zeros", zT).fetch(p1.latent()).run()) {
            h0 = Tensors.read(r.get(0));
          }
          try (Tensor hT = Tensors.floats(h0, B, L, c.dModel())) {
            Session.Runner run = s.runner().feed("tok", tT).feed("tgt", gT).feed("msk", mT).feed("tw", wT)
                .feed("zeros", zT).feed("fedH", hT);
            for (int i = 0; i < xs.length; i++) {
              run.fetch(gStop[i]).fetch(gFed[i]).fetch(gThrough[i]);
            }
            try (Result r = run.run()) {
              double maxDiffThrough = 0;
              for (int i = 0; i < xs.length; i++) {
                float[] a = Tensors.read(r.get(3 * i));
                float[] b = Tensors.read(r.get(3 * i + 1));
                float[] t = Tensors.read(r.get(3 * i + 2));
                for (int k = 0; k < a.length; k++) {
                  assertEquals(b[k], a[k], 1e-6 + 1e-4 * Math.abs(b[k]), "grad of variable " + i + " [" + k + "]");
                  maxDiffThrough = Math.max(maxDiffThrough, Math.abs(t[k] - a[k]));
                }
              }
              assertTrue(maxDiffThrough > 1e-4, "without stopGradient the gradients differ: " + maxDiffThrough);
            }
          }
        }
      }
    }
  }

  /** Logits [B·L·V] of the graph's {@link OpNames#LOGITS} for the given tokens. */
  private static float[] logits(ModelGraph g, int[] tokens) {
    try (Tensor tok = Tensors.ints(tokens, B, L);
         Result res = g.session().runner().feed(OpNames.TOKENS, tok).fetch(OpNames.LOGITS).run()) {
      return Tensors.read(res.get(0));
    }
  }

  /** Three AR training sequences {@code input [SEP] output [EOS] [PAD]...} of length L. */
  private static int[] arSequences() {
    TokenFormat f = new TokenFormat(L);
    int[] a = f.encode("12,3", "45");
    int[] b = f.encode("9,87", "6*5=30");
    int[] c = f.encode("1", "2");
    int[] out = new int[B * L];
    System.arraycopy(a, 0, out, 0, L);
    System.arraycopy(b, 0, out, L, L);
    System.arraycopy(c, 0, out, 2 * L, L);
    return out;
  }

  /**
   * AR next-token loss: the graph equals a plain-Java cross-entropy taken only over the tokens after
   * {@code [SEP]} through {@code [EOS]}, each predicted from the logits one position earlier; input, {@code [SEP]}
   * and padding positions contribute nothing.
   */
  @Test
  void arLossIsNextTokenCrossEntropyOnTheOutputOnly() {
    ModelConfig c = ModelConfig.preset(ModelKind.AR, "micro", L);
    int v = c.vocab();
    int[] seq = arSequences();
    float[] mask = new float[B * L];
    for (int b = 0; b < B; b++) {
      boolean in = false;
      for (int j = 0; j < L; j++) {
        int id = seq[b * L + j];
        if (in) {
          mask[b * L + j] = 1;
          if (id == Vocabulary.EOS) {
            break;
          }
        }
        in |= id == Vocabulary.SEP;
      }
    }
    try (ModelGraph g = ModelGraph.build(c, ModelGraph.Mode.TRAINING, 5, 0f, ModelGraph.sessionConfig(1, 1))) {
      g.initialize();
      try (Tensor tok = Tensors.ints(seq, B, L); Tensor tgt = Tensors.ints(seq, B, L);
           Tensor m = Tensors.floats(mask, B, L);
           Result res = g.session().runner().feed(OpNames.TOKENS, tok).feed(OpNames.TARGETS, tgt)
               .feed(OpNames.LOSS_MASK, m).fetch(OpNames.LOGITS).fetch(OpNames.LOSS).run()) {
        float[] logits = Tensors.read(res.get(0));
        float loss = Tensors.readScalar(res.get(1));
        // Independent reference: walk each sequence, score tokens sep+1..eos from the previous position.
        double total = 0;
        int count = 0;
        for (int b = 0; b < B; b++) {
          int sep = -1;
          int eos = -1;
          for (int j = 0; j < L; j++) {
            if (sep < 0 && seq[b * L + j] == Vocabulary.SEP) {
              sep = j;
            } else if (sep >= 0 && seq[b * L + j] == Vocabulary.EOS) {
              eos = j;
              break;
            }
          }
          for (int j = sep + 1; j <= eos; j++) {
            int base = (b * L + j - 1) * v;
            double z = 0;
            for (int k = 0; k < v; k++) {
              z += Math.exp(logits[base + k]);
            }
            total += Math.log(z) - logits[base + seq[b * L + j]];
            count++;
          }
        }
        assertEquals(3 + 7 + 2, count);
        double ref = total / count;
        assertEquals(ref, loss, 1e-5 * ref, "graph loss vs Java reference");
        assertEquals(ref, NextTokenLoss.reference(logits, seq, mask, B, L, v), 1e-9 * ref);
      }
    }
  }

  /** AR attention is causal: changing token q never changes the logits at positions before q (bit for bit). */
  @Test
  void arLogitsDoNotSeeLaterTokensButMgdmDo() {
    int[] tokens = randomTokens(8);
    int q = 7;
    int[] changed = tokens.clone();
    for (int b = 0; b < B; b++) {
      changed[b * L + q] = (tokens[b * L + q] + 1 + b) % Vocabulary.SIZE;
      changed[b * L + L - 1] = (tokens[b * L + L - 1] + 3) % Vocabulary.SIZE;
    }
    for (ModelKind kind : List.of(ModelKind.AR, ModelKind.MGDM)) {
      ModelConfig c = ModelConfig.preset(kind, "micro", L);
      int v = c.vocab();
      try (ModelGraph g = ModelGraph.build(c, ModelGraph.Mode.INFERENCE, 9, 0f, ModelGraph.sessionConfig(1, 1))) {
        g.initialize();
        float[] a = logits(g, tokens);
        float[] z = logits(g, changed);
        double before = 0;
        double from = 0;
        for (int b = 0; b < B; b++) {
          for (int i = 0; i < L; i++) {
            for (int k = 0; k < v; k++) {
              int p = (b * L + i) * v + k;
              if (i < q) {
                before = Math.max(before, Math.abs(a[p] - z[p]));
              } else {
                from = Math.max(from, Math.abs(a[p] - z[p]));
              }
            }
          }
        }
        assertTrue(from > 1e-4, kind + ": positions from q on see the change: " + from);
        if (kind == ModelKind.AR) {
          assertEquals(0.0, before, kind + ": earlier positions must not see a later token");
        } else {
          assertTrue(before > 1e-4, "MGDM is bidirectional (the check is sensitive): " + before);
        }
      }
    }
  }

  /** An AR model trained a few steps, saved and restored into a fresh inference graph gives identical logits. */
  @Test
  void arCheckpointRoundTripGivesIdenticalLogits() {
    ModelConfig c = ModelConfig.preset(ModelKind.AR, "micro", L);
    int[] seq = arSequences();
    float[] mask = new float[B * L];
    for (int i = 0; i < mask.length; i++) {
      mask[i] = i % L >= 5 ? 1 : 0;
    }
    int[] probe = randomTokens(10);
    float[] trained;
    Path prefix = tmp.resolve("ar").resolve("model");
    try (ModelGraph g = ModelGraph.build(c, ModelGraph.Mode.TRAINING, 5, 0f, ModelGraph.sessionConfig(1, 1))) {
      g.initialize();
      float before = Float.NaN;
      float after = Float.NaN;
      for (int step = 1; step <= 4; step++) {
        try (Tensor tok = Tensors.ints(seq, B, L); Tensor tgt = Tensors.ints(seq, B, L);
             Tensor m = Tensors.floats(mask, B, L); Tensor lr = Tensors.scalar(1e-3f);
             Tensor bc1 = Tensors.scalar((float) (1 - Math.pow(AdamW.BETA1, step)));
             Tensor bc2 = Tensors.scalar((float) (1 - Math.pow(AdamW.BETA2, step)));
             Result r = g.session().runner().feed(OpNames.TOKENS, tok).feed(OpNames.TARGETS, tgt)
                 .feed(OpNames.LOSS_MASK, m).feed(OpNames.LR, lr).feed(OpNames.ADAM_BC1, bc1)
                 .feed(OpNames.ADAM_BC2, bc2).fetch(OpNames.LOSS).addTarget(OpNames.TRAIN).run()) {
          after = Tensors.readScalar(r.get(0));
          if (step == 1) {
            before = after;
          }
        }
      }
      assertTrue(after < before, "training lowers the AR loss: " + before + " -> " + after);
      trained = logits(g, probe);
      prefix.getParent().toFile().mkdirs();
      g.save(prefix);
    }
    try (ModelGraph g = ModelGraph.build(c, ModelGraph.Mode.INFERENCE, 99, 0f, ModelGraph.sessionConfig(1, 1))) {
      g.initialize();
      float[] fresh = logits(g, probe);
      g.restore(prefix);
      float[] restored = logits(g, probe);
      // The training graph computes in Towers (slices of the batch), the inference graph in one: float rounding
      // apart (a lost or wrong weight moves the logits by far more).
      float largest = 0;
      for (float x : trained) {
        largest = Math.max(largest, Math.abs(x));
      }
      assertArrayEquals(trained, restored, 1e-5f * largest, "restored AR logits");
      assertFalse(java.util.Arrays.equals(fresh, restored));
    }
  }
}
