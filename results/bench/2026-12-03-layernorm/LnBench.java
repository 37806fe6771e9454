package dev.lddm.model.graph;

import java.util.Random;
import org.tensorflow.*;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** LayerNorm forward+backward on [n, d], one thread: the carrier's hand gradient vs TensorFlow's derivative. */
public class LnBench {
  public static void main(String[] a) {
    int n = Integer.parseInt(a[0]), d = Integer.parseInt(a[1]), iters = Integer.parseInt(a[2]), rounds = Integer.parseInt(a[3]);
    for (int r = 0; r < rounds; r++) {
      for (boolean hand : new boolean[] {false, true}) {
        System.out.printf("%s round %d: %.3f ms/iter (fwd+bwd)%n", hand ? "hand" : "composite", r, run(hand, n, d, iters));
      }
    }
  }

  static double run(boolean hand, int n, int d, int iters) {
    Random rnd = new Random(1);
    float[] x = new float[n * d], w = new float[n * d];
    for (int i = 0; i < x.length; i++) { x[i] = (float) rnd.nextGaussian(); w[i] = (float) rnd.nextGaussian(); }
    float[] ones = new float[d]; java.util.Arrays.fill(ones, 1.1f);
    try (Graph g = new Graph(); TFloat32 xt = Tensors.floats(x, n, d)) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> in = tf.placeholder(TFloat32.class);
      Variable<TFloat32> gv = tf.variable(tf.constant(ones));
      Variable<TFloat32> bv = tf.variable(tf.constant(new float[d]));
      Operand<TFloat32> y = hand ? Backbone.layerNorm(tf, in, new Backbone.Norm(gv, bv)) : Backbone.layerNormForward(tf, in, gv, bv)[0];
      Operand<TFloat32> loss = tf.sum(tf.math.mul(y, tf.reshape(tf.constant(w), tf.constant(new int[] {n, d}))), tf.constant(new int[] {0, 1}));
      Output<?>[] gr = g.addGradients(loss.asOutput(), new Output<?>[] {in.asOutput(), gv.asOutput(), bv.asOutput()});
      var cfg = org.tensorflow.proto.ConfigProto.newBuilder().setIntraOpParallelismThreads(1).setInterOpParallelismThreads(1).build();
      try (Session s = new Session(g, cfg)) {
        s.initialize();
        for (int i = 0; i < 10; i++) s.runner().feed(in, xt).fetch(gr[0]).fetch(gr[1]).fetch(gr[2]).run().close();
        long t0 = System.nanoTime();
        for (int i = 0; i < iters; i++) s.runner().feed(in, xt).fetch(gr[0]).fetch(gr[1]).fetch(gr[2]).run().close();
        return (System.nanoTime() - t0) / 1e6 / iters;
      }
    }
  }
}
