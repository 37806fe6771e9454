package dev.lddm.model.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The LayerNorm's hand-written gradient ({@link LayerNormGradient}) against TensorFlow's own derivative of the
 * same forward, op by op, on random rows: the forward bit for bit, {@code dx}, {@code dg} and {@code db} to float
 * rounding; and the check can fail (a wrong rule is far outside its tolerance).
 */
class LayerNormTest {
  static final int N = 37;
  static final int D = 24;

  /** {@code [y, dx, dg, db]} of {@code loss = sum(LN(x)·r)}, with the carrier or with TensorFlow's derivative. */
  private static float[][] run(boolean hand) {
    Random rnd = new Random(7);
    float[] x = new float[N * D];
    float[] r = new float[N * D];
    float[] gain = new float[D];
    float[] bias = new float[D];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (3 * rnd.nextGaussian() + 0.5);
      r[i] = (float) rnd.nextGaussian();
    }
    for (int i = 0; i < D; i++) {
      gain[i] = (float) (1 + 0.3 * rnd.nextGaussian());
      bias[i] = (float) (0.1 * rnd.nextGaussian());
    }
    try (Graph g = new Graph(); TFloat32 xt = Tensors.floats(x, N, D)) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> in = tf.placeholder(TFloat32.class);
      Variable<TFloat32> gv = tf.withName("ln_g").variable(tf.constant(gain));
      Variable<TFloat32> bv = tf.withName("ln_b").variable(tf.constant(bias));
      Operand<TFloat32> y = hand ? Backbone.layerNorm(tf, in, new Backbone.Norm(gv, bv))
          : Backbone.layerNormForward(tf, in, gv, bv)[0];
      Operand<TFloat32> weights = tf.reshape(tf.constant(r), tf.constant(new int[] {N, D}));
      Operand<TFloat32> loss = tf.sum(tf.math.mul(y, weights), tf.constant(new int[] {0, 1}));
      Output<?>[] grad = g.addGradients(loss.asOutput(), new Output<?>[] {in.asOutput(), gv.asOutput(), bv.asOutput()});
      try (Session s = new Session(g)) {
        s.initialize();
        try (Result res = s.runner().feed(in, xt).fetch(y).fetch(grad[0]).fetch(grad[1]).fetch(grad[2]).run()) {
          return new float[][] {Tensors.read(res.get(0)), Tensors.read(res.get(1)), Tensors.read(res.get(2)),
              Tensors.read(res.get(3))};
        }
      }
    }
  }

  @Test
  void handGradientIsTensorFlowsDerivativeAndTheForwardIsUnchanged() {
    assertTrue(Carrier.REGISTERED, "the carriers' gradient is registered");
    float[][] hand = run(true);
    float[][] auto = run(false);
    assertArrayEquals(auto[0], hand[0], 0f, "forward bit for bit");
    String[] names = {"y", "dx", "dg", "db"};
    for (int k = 1; k < 4; k++) {
      double scale = 0;
      for (float v : auto[k]) {
        scale = Math.max(scale, Math.abs(v));
      }
      assertTrue(scale > 0.1, names[k] + " is not trivially zero");
      for (int i = 0; i < auto[k].length; i++) {
        assertEquals(auto[k][i], hand[k][i], 2e-6 * scale, names[k] + "[" + i + "]");
      }
    }
  }
}
