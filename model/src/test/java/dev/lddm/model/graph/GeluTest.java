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
}
