package dev.lddm.model.graph;

// _MklLayerNorm vs the composite on [1776, 128], one thread; see README.md.

import java.util.*;
import org.tensorflow.*;
import org.tensorflow.op.*;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Constant;
import org.tensorflow.op.math.Mean;
import org.tensorflow.ndarray.*;
import org.tensorflow.ndarray.buffer.*;
import org.tensorflow.types.*;
import org.tensorflow.proto.*;

public final class LnBench {
  public static void main(String[] a) {
    int n = 1776, d = 128;
    SplittableRandom r = new SplittableRandom(3);
    float[] xs = new float[n * d]; for (int i = 0; i < xs.length; i++) xs[i] = (float) (r.nextGaussian() * 2 + 0.3);
    float[] gs = new float[d], bs = new float[d]; for (int i = 0; i < d; i++) { gs[i] = (float) (1 + 0.1 * r.nextGaussian()); bs[i] = (float) (0.1 * r.nextGaussian()); }
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> x = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, d)));
      Constant<TFloat32> gain = tf.constant(gs), bias = tf.constant(bs);
      Operand<TFloat32> ref = Backbone.layerNormForward(tf, x, gain, bias)[0];
      tf.withName("ref").identity(ref);
      Operand<TFloat32> mkl = tf.scope().opBuilder("_MklLayerNorm", "mklln").addInput(x.asOutput()).addInput(gain.asOutput()).addInput(bias.asOutput()).setAttr("epsilon", 1e-5f).build().output(0);
      tf.withName("mkl").identity(mkl);
      ConfigProto cfg = ModelGraph.sessionConfig(1, 1);
      try (Session s = new Session(g, cfg); TFloat32 xt = TFloat32.tensorOf(Shape.of(n, d), DataBuffers.of(xs, true, false))) {
        for (String f : new String[] {"ref", "mkl", "ref", "mkl"}) {
          long best = Long.MAX_VALUE;
          var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
          long c0 = os.getProcessCpuTime(), w0 = System.nanoTime();
          for (int it = 0; it < 300; it++) { long t0 = System.nanoTime(); try (Result res = s.runner().feed("x", xt).fetch(f).run()) {} best = Math.min(best, System.nanoTime() - t0); }
          System.out.printf("%s best %.1f us; cpu/wall %.2f%n", f, best / 1e3, (os.getProcessCpuTime() - c0) / (double) (System.nanoTime() - w0));
        }
        try (Result res = s.runner().feed("x", xt).fetch("ref").fetch("mkl").run()) {
          float[] p = new float[n * d], q = new float[n * d];
          ((TFloat32) res.get(0)).copyTo(DataBuffers.of(p, false, false)); ((TFloat32) res.get(1)).copyTo(DataBuffers.of(q, false, false));
          double mx = 0; int same = 0; for (int i = 0; i < p.length; i++) { mx = Math.max(mx, Math.abs(p[i] - q[i])); if (p[i] == q[i]) same++; }
          System.out.printf("max abs diff %.3g, identical %d/%d%n", mx, same, p.length);
        }
      }
    }
  }
}
