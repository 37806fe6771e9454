package dev.lddm.model.graph;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.types.TFloat32;

/**
 * {@link AdamW} against a double-precision transcription of {@code torch.nn.utils.clip_grad_norm_} followed by
 * {@code torch.optim.AdamW}: three steps on {@code loss = sum(a·p²/2 + c·p)} over two variables (gradient
 * {@code a·p + c}, so every step's gradient depends on the last update), one decayed and one not; with the
 * clipping acting on every step, never, and with gradients near epsilon.
 */
class AdamWTest {
  private static final float[] P0 = {0.5f, -1.25f, 2f, 0.75f};
  private static final float[] Q0 = {-0.3f, 0.9f, 0.1f};
  private static final float[] A = {1f, 2f, 0.5f, 3f};
  private static final float[] AQ = {4f, 0.25f, 1f};
  private static final float[] C = {1.5f, -0.7f, 0.2f, 2.5f};
  private static final float[] CQ = {-3f, 0.05f, 1.1f};

  /**
   * {@code k} scales the gradients: 1 gives {@code ||g|| > 1} (clipped), 0.01 not clipped, 1e-8 gradients so small
   * that {@code sqrt(v)} is of the order of epsilon (where epsilon enters the update matters).
   */
  @ParameterizedTest(name = "weight decay {0}, lr {1}, gradient scale {2}")
  @CsvSource({"0, 0.001, 1", "0.1, 0.01, 1", "0.05, 0.003, 0.01", "0, 0.001, 1e-8"})
  void matchesTorchAdamWWithGlobalNormClipping(float wd, float lr, float k) {
    boolean clipped = k >= 1;
    double[] p = toDouble(P0);
    double[] q = toDouble(Q0);
    double[] mp = new double[p.length];
    double[] vp = new double[p.length];
    double[] mq = new double[q.length];
    double[] vq = new double[q.length];
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Variable<TFloat32> pv = tf.withName("p").variable(tf.constant(P0));
      Variable<TFloat32> qv = tf.withName("q").variable(tf.constant(Q0));
      // (Identity: TensorFlow's Square gradient crashes on a variable's reference output.)
      // (Through Identity: TensorFlow's Square gradient crashes on a variable's reference output.)
      Operand<TFloat32> loss = tf.math.mul(tf.constant(k), tf.math.add(
          quadratic(tf, tf.identity(pv), A, C), quadratic(tf, tf.identity(qv), AQ, CQ)));
      AdamW adam = new AdamW(g, tf, List.of(pv, qv), List.of(pv), wd);
      adam.minimize(tf, loss, "train", "norm");
      s.initialize();
      for (int step = 1; step <= 3; step++) {
        float bc1 = (float) (1 - Math.pow(AdamW.BETA1, step));
        float bc2 = (float) (1 - Math.pow(AdamW.BETA2, step));
        double[] gp = new double[p.length];
        double[] gq = new double[q.length];
        double sq = 0;
        for (int i = 0; i < p.length; i++) {
          gp[i] = k * (A[i] * p[i] + C[i]);
          sq += gp[i] * gp[i];
        }
        for (int i = 0; i < q.length; i++) {
          gq[i] = k * (AQ[i] * q[i] + CQ[i]);
          sq += gq[i] * gq[i];
        }
        double norm = Math.sqrt(sq);
        assertEquals(clipped, norm > AdamW.CLIP_NORM, "the test's premise at step " + step);
        double scale = Math.min(1, AdamW.CLIP_NORM / (norm + 1e-6));
        update(p, gp, mp, vp, scale, lr, wd, bc1, bc2);
        update(q, gq, mq, vq, scale, lr, 0, bc1, bc2);
        try (Tensor lrT = Tensors.scalar(lr); Tensor b1 = Tensors.scalar(bc1); Tensor b2 = Tensors.scalar(bc2);
             Result r = s.runner().feed(OpNames.LR, lrT).feed(OpNames.ADAM_BC1, b1).feed(OpNames.ADAM_BC2, b2)
                 .fetch("norm").addTarget("train").run()) {
          assertEquals(norm, Tensors.readScalar(r.get(0)), 1e-6 * norm, "gradient norm at step " + step);
        }
        try (Result r = s.runner().fetch("p").fetch("q").run()) {
          assertClose(p, Tensors.read(r.get(0)), "p after step " + step);
          assertClose(q, Tensors.read(r.get(1)), "q after step " + step);
        }
      }
    }
  }

  /**
   * Every op that writes a variable (the fused Adam update, the decay) runs after the gradient norm, i.e. after the
   * whole forward and backward pass that read the variables in place: a write ordered only by data flow from the
   * variable itself (as a decay {@code p -= lr·wd·p} alone is) could run before the forward reads {@code p}.
   */
  @Test
  void everyVariableWriteWaitsForTheGradients() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Variable<TFloat32> pv = tf.withName("p").variable(tf.constant(P0));
      Variable<TFloat32> qv = tf.withName("q").variable(tf.constant(Q0));
      Operand<TFloat32> loss = tf.math.add(quadratic(tf, tf.identity(pv), A, C), quadratic(tf, tf.identity(qv), AQ, CQ));
      new AdamW(g, tf, List.of(pv, qv), List.of(pv), 0.1f).minimize(tf, loss, "train", "norm");
      Map<String, List<String>> inputs = new HashMap<>();
      for (NodeDef n : g.toGraphDef().getNodeList()) {
        inputs.put(n.getName(), n.getInputList().stream().map(i -> i.replaceFirst("^\\^", "").replaceFirst(":\\d+$", ""))
            .toList());
      }
      int writes = 0;
      for (NodeDef n : g.toGraphDef().getNodeList()) {
        if (Set.of("ApplyAdam", "AssignSub").contains(n.getOp())) {
          writes++;
          assertTrue(ancestors(n.getName(), inputs).contains("norm"), n.getName() + " (" + n.getOp() + ") runs after the gradients");
        }
      }
      assertEquals(3, writes, "two Adam updates and one decay");
    }
  }

  private static Set<String> ancestors(String node, Map<String, List<String>> inputs) {
    Set<String> seen = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(inputs.get(node));
    while (!todo.isEmpty()) {
      String x = todo.pop();
      if (seen.add(x)) {
        todo.addAll(inputs.getOrDefault(x, List.of()));
      }
    }
    return seen;
  }

  private static Operand<TFloat32> quadratic(Ops tf, Operand<TFloat32> x, float[] a, float[] c) {
    return tf.sum(tf.math.add(tf.math.mul(tf.constant(0.5f), tf.math.mul(tf.constant(a), tf.math.square(x))),
        tf.math.mul(tf.constant(c), x)), tf.constant(0));
  }

  /** torch AdamW on one variable (decoupled decay p -= lr·wd·p), after clipping by {@code scale}. */
  private static void update(double[] p, double[] g, double[] m, double[] v, double scale, double lr, double wd,
                             double bc1, double bc2) {
    for (int i = 0; i < p.length; i++) {
      double gi = g[i] * scale;
      m[i] = AdamW.BETA1 * m[i] + (1 - AdamW.BETA1) * gi;
      v[i] = AdamW.BETA2 * v[i] + (1 - AdamW.BETA2) * gi * gi;
      p[i] -= lr * wd * p[i] + lr * (m[i] / bc1) / (Math.sqrt(v[i] / bc2) + AdamW.EPS);
    }
  }

  /** Float rounding apart: 1e-6 of the value, or of the learning-rate-sized step for values near 0. */
  private static void assertClose(double[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 1e-6 * Math.max(1, Math.abs(expected[i])), what + "[" + i + "]");
    }
  }

  private static double[] toDouble(float[] x) {
    double[] d = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      d[i] = x[i];
    }
    return d;
  }
}
