package dev.lddm.model.graph;

import static org.junit.jupiter.api.Assertions.*;

import dev.lddm.model.ModelConfig;
import dev.lddm.model.ModelKind;
import dev.lddm.tasks.token.Vocabulary;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
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

  private static int[] randomTokens(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int[] t = new int[B * L];
    for (int i = 0; i < t.length; i++) {
      t[i] = r.nextInt(Vocabulary.SIZE);
    }
    return t;
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
}
