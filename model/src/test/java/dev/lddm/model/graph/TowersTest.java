package dev.lddm.model.graph;

import static org.junit.jupiter.api.Assertions.*;

import dev.lddm.model.ModelConfig;
import dev.lddm.model.ModelKind;
import dev.lddm.model.Precision;
import dev.lddm.tasks.token.Vocabulary;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * {@link Towers}: a forward pass built as towers over slices of the batch computes the one-tower function (logits,
 * latents, every weight's gradient, dropout masks) up to rounding, for batches that do and do not divide evenly.
 */
class TowersTest {
  private static final int L = 12;

  @Test
  void sizesPartitionTheBatchInOrder() {
    for (int n = 1; n <= 4; n++) {
      for (int b = 0; b <= 9; b++) {
        int sum = 0;
        for (int t = 0; t < n; t++) {
          assertEquals(sum, Towers.start(b, t, n), b + " in " + n);
          int s = Towers.size(b, t, n);
          assertTrue(s == b / n || s == b / n + 1, "balanced: " + s + " of " + b + " in " + n);
          sum += s;
        }
        assertEquals(b, sum, b + " in " + n);
      }
    }
    assertEquals(32, Towers.size(64, 0, 2));
    assertEquals(2, Towers.size(3, 0, 2));
    assertEquals(1, Towers.size(3, 1, 2));
    assertEquals(1, Towers.count(1), "never an empty tower");
    assertEquals(Towers.COUNT, Towers.count(64));
  }

  /** What one graph computes for one tower count: logits, latent and the gradient of a fixed loss. */
  private record Pass(Backbone.Output out, List<Operand<?>> grads) {}

  /**
   * Logits, latents and the gradient of {@code sum(logits · R)} with respect to every weight agree between 1 tower
   * and 2 or 3 towers to float rounding. LDDM gets a random latent input and a non-zero {@code LN_h} gain (zero at
   * initialisation, which would hide a latent routed to the wrong tower); with dropout the towers must use their
   * own rows of the whole batch's mask.
   */
  @ParameterizedTest
  @CsvSource({"MGDM, 8, 0", "MGDM, 3, 0", "MGDM, 3, 0.5", "LDDM, 8, 0", "LDDM, 5, 0", "AR, 7, 0", "MGDM, 5, 0.5",
      "LDDM, 4, 0.5"})
  void towersComputeTheOneTowerFunction(ModelKind kind, int batch, double dropout) {
    ModelConfig c = ModelConfig.preset(kind, "micro", L).withPrecision(Precision.FP32);
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Backbone.Weights w = Backbone.createWeights(tf, c, 5);
      Operand<TInt32> tokens = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, L)));
      Operand<TFloat32> latent = kind.hasLatent()
          ? tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, L, c.dModel()))) : null;
      Operand<TFloat32> r = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(batch, L, c.vocab())));
      Operand<TInt64> seeds = tf.placeholder(TInt64.class, Placeholder.shape(Shape.of(Dropout.sites(c), 2)));
      Dropout drop = new Dropout(dropout, batch);
      List<Pass> passes = new ArrayList<>();
      for (int n = 1; n <= Math.min(3, batch); n++) {
        Dropout.Pass p = drop.active() ? new Dropout.Pass(drop, c, seeds, 0) : null;
        Backbone.Output out = Towers.forward(tf, "n" + n, c, w, tokens, latent, p, n);
        Operand<TFloat32> loss = tf.sum(tf.math.mul(out.logits(), r), tf.constant(new int[] {0, 1, 2}));
        List<Operand<?>> grads = new ArrayList<>();
        tf.gradients(loss, w.all()).dy().forEach(grads::add);
        passes.add(new Pass(out, grads));
      }
      Operand<?> lnh = kind.hasLatent()
          ? tf.assign(w.latentNorm().gain(), tf.constant(ones(c.dModel()))) : null;
      try (Session s = new Session(g)) {
        s.initialize();
        if (lnh != null) {
          s.runner().addTarget(lnh).run();
        }
        SplittableRandom rnd = new SplittableRandom(batch);
        int[] tok = new int[batch * L];
        for (int i = 0; i < tok.length; i++) {
          tok[i] = rnd.nextInt(Vocabulary.SIZE);
        }
        float[] lat = gaussian(rnd, batch * L * c.dModel());
        float[] rr = gaussian(rnd, batch * L * c.vocab());
        try (Tensor tT = Tensors.ints(tok, batch, L); Tensor lT = Tensors.floats(lat, batch, L, c.dModel());
             Tensor rT = Tensors.floats(rr, batch, L, c.vocab());
             Tensor sT = Tensors.longs(Dropout.seeds(c, 3, 0), Dropout.sites(c), 2)) {
          Session.Runner run = s.runner().feed(tokens, tT).feed(r, rT).feed(seeds, sT);
          if (latent != null) {
            run.feed(latent, lT);
          }
          for (Pass p : passes) {
            run.fetch(p.out().logits()).fetch(p.out().latent());
            p.grads().forEach(run::fetch);
          }
          try (Result res = run.run()) {
            int per = 2 + w.all().size();
            for (int n = 2; n <= Math.min(3, batch); n++) {
              for (int i = 0; i < per; i++) {
                float[] one = Tensors.read(res.get(i));
                float[] many = Tensors.read(res.get((n - 1) * per + i));
                String what = kind + " batch " + batch + " dropout " + dropout + ", " + n + " towers, "
                    + (i == 0 ? "logits" : i == 1 ? "latent" : "gradient of " + w.all().get(i - 2).op().name());
                assertClose(one, many, what);
              }
            }
          }
        }
      }
    }
  }

  /** Equal to 1e-5 of the largest magnitude (float rounding of differently blocked products and of the sums). */
  private static void assertClose(float[] a, float[] b, String what) {
    assertEquals(a.length, b.length, what);
    double max = 0;
    double diff = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i]));
      diff = Math.max(diff, Math.abs(a[i] - b[i]));
    }
    assertTrue(max > 0, what + ": all zero, the check would be empty");
    assertTrue(diff <= 1e-5 * max, what + ": differs by " + diff + " (largest " + max + ")");
  }

  private static float[] ones(int n) {
    float[] x = new float[n];
    java.util.Arrays.fill(x, 1f);
    return x;
  }

  private static float[] gaussian(SplittableRandom r, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (r.nextDouble() * 2 - 1);
    }
    return x;
  }

  /** Every training graph is built with {@link Towers#COUNT} towers per pass, inference graphs with one. */
  @Test
  void trainingGraphsHaveTowersInferenceGraphsNot() {
    ModelConfig c = ModelConfig.preset(ModelKind.LDDM, "micro", L);
    try (ModelGraph g = ModelGraph.build(c, ModelGraph.Mode.TRAINING, 5, 0f, ModelGraph.sessionConfig(1, 1))) {
      for (String pass : List.of("pass1", "pass2")) {
        for (int t = 0; t < Towers.COUNT; t++) {
          assertTrue(hasScope(g.graph(), pass + "_t" + t + "/"), pass + " tower " + t);
        }
      }
    }
    try (ModelGraph g = ModelGraph.build(c, ModelGraph.Mode.INFERENCE, 5, 0f, ModelGraph.sessionConfig(1, 1))) {
      assertFalse(hasScope(g.graph(), "_t0/"));
      assertFalse(hasScope(g.graph(), "_t1/"));
    }
  }

  private static boolean hasScope(Graph g, String part) {
    var it = g.operations();
    while (it.hasNext()) {
      if (it.next().name().contains(part)) {
        return true;
      }
    }
    return false;
  }
}
