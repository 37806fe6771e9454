package dev.lddm.model.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** The graph's GELU is MGDM's {@code gelu_new} (tanh approximation, not the erf GELU). */
class GeluTest {
  /** {@code gelu_new} as GPT-2 writes it, in double precision. */
  static double geluNew(double x) {
    return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
  }

  /** The erf GELU, which gelu_new approximates: a different function (up to ~1e-3 apart near |x| = 2). */
  static double geluErf(double x) {
    // Abramowitz-Stegun 7.1.26 is too coarse here; integrate erf by Simpson's rule instead.
    double z = x / Math.sqrt(2);
    int n = 2000;
    double h = z / n;
    double s = 0;
    for (int i = 0; i <= n; i++) {
      double t = i * h;
      s += (i == 0 || i == n ? 1 : i % 2 == 1 ? 4 : 2) * Math.exp(-t * t);
    }
    double erf = 2 / Math.sqrt(Math.PI) * s * h / 3;
    return 0.5 * x * (1 + erf);
  }

  private static float[] inputs() {
    float[] x = new float[1601];
    for (int i = 0; i < x.length; i++) {
      x[i] = -8f + i * 0.01f;
    }
    return x;
  }

  /** The derivative of {@code gelu_new}, in double precision. */
  static double geluNewPrime(double x) {
    double k = Math.sqrt(2 / Math.PI);
    double t = Math.tanh(k * (x + 0.044715 * x * x * x));
    return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * k * (1 + 3 * 0.044715 * x * x);
  }

  private static float[] run() {
    float[] x = inputs();
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> in = tf.constant(x);
      Operand<TFloat32> y = Backbone.gelu(tf, in);
      try (Session s = new Session(g); Result r = s.runner().fetch(y).run()) {
        return Tensors.read(r.get(0));
      }
    }
  }

  @Test
  void fp32IsGeluNewToAFewUlps() {
    float[] x = inputs();
    float[] y = run();
    double worstErf = 0;
    for (int i = 0; i < x.length; i++) {
      double want = geluNew(x[i]);
      assertEquals(want, y[i], 4e-7 * Math.max(1, Math.abs(want)), "gelu_new(" + x[i] + ")");
      worstErf = Math.max(worstErf, Math.abs(geluErf(x[i]) - want));
    }
    // The check above can tell the two GELUs apart: they differ by far more than its tolerance.
    assertTrue(worstErf > 1e-4, "erf GELU vs gelu_new " + worstErf);
  }

  /** The hand-written gradient ({@link GeluGradient}) is gelu_new's derivative, and it is the one in use. */
  @Test
  void gradientIsGeluNewsDerivative() {
    assertTrue(Carrier.REGISTERED, "the carriers' gradient is registered");
    float[] x = inputs();
    float[] dx;
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> in = tf.placeholder(TFloat32.class);
      // Weighting by 3 checks that the incoming gradient is multiplied in.
      Operand<TFloat32> loss = tf.math.mul(tf.sum(Backbone.gelu(tf, in), tf.constant(0)), tf.constant(3f));
      org.tensorflow.Output<?>[] grad = g.addGradients(loss.asOutput(), new org.tensorflow.Output<?>[] {in.asOutput()});
      try (TFloat32 t = TFloat32.vectorOf(x); Session s = new Session(g);
           Result r = s.runner().feed(in, t).fetch(grad[0]).run()) {
        dx = Tensors.read(r.get(0));
      }
    }
    for (int i = 0; i < x.length; i++) {
      double want = 3 * geluNewPrime(x[i]);
      assertEquals(want, dx[i], 2e-6 * Math.max(1, Math.abs(want)), "3·gelu_new'(" + x[i] + ")");
    }
  }

  /** An {@code IdentityN} that is not the GELU's carrier keeps the identity's gradient. */
  @Test
  void otherIdentityNOpsPassGradientsThrough() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> a = tf.placeholder(TFloat32.class);
      Operand<TFloat32> b = tf.placeholder(TFloat32.class);
      var outs = tf.identityN(java.util.List.of(tf.math.mul(a, tf.constant(2f)), tf.math.mul(b, tf.constant(5f)), a, b))
          .output();
      @SuppressWarnings("unchecked")
      Operand<TFloat32> y0 = (Operand<TFloat32>) (Operand<?>) outs.get(0);
      @SuppressWarnings("unchecked")
      Operand<TFloat32> y1 = (Operand<TFloat32>) (Operand<?>) outs.get(1);
      Operand<TFloat32> loss = tf.math.add(tf.sum(y0, tf.constant(0)), tf.sum(y1, tf.constant(0)));
      org.tensorflow.Output<?>[] grad = g.addGradients(loss.asOutput(),
          new org.tensorflow.Output<?>[] {a.asOutput(), b.asOutput()});
      try (TFloat32 t = TFloat32.vectorOf(1f, 2f); Session s = new Session(g);
           Result r = s.runner().feed(a, t).feed(b, t).fetch(grad[0]).fetch(grad[1]).run()) {
        assertEquals(java.util.List.of(2f, 2f), toList(Tensors.read(r.get(0))));
        assertEquals(java.util.List.of(5f, 5f), toList(Tensors.read(r.get(1))));
      }
    }
  }

  private static java.util.List<Float> toList(float[] v) {
    java.util.List<Float> l = new java.util.ArrayList<>();
    for (float f : v) {
      l.add(f);
    }
    return l;
  }
}
