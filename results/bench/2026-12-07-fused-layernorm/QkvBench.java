package dev.lddm.model.graph;

// A: split + 3 transposes (before), B: unstack, C: one transpose + split on axis 0 (after); see README.md.

import java.util.*;
import org.tensorflow.*;
import org.tensorflow.op.*;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.ndarray.*;
import org.tensorflow.ndarray.buffer.*;
import org.tensorflow.types.*;
import org.tensorflow.proto.*;

public final class QkvBench {
  public static void main(String[] a) {
    int b = 48, h = 4, l = 37, dh = 32, d = 128;
    SplittableRandom r = new SplittableRandom(3);
    float[] xs = new float[b * l * 3 * d];
    for (int i = 0; i < xs.length; i++) xs[i] = (float) r.nextGaussian();
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      var qkv = tf.withName("qkv").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 3 * d)));
      {
        Ops o = tf.withSubScope("A");
        var parts = o.split(o.constant(1), qkv, 3L).output();
        var hs = o.constant(new int[] {-1, l, h, dh});
        var perm = o.constant(new int[] {0, 2, 1, 3});
        var q = o.linalg.transpose(o.reshape(parts.get(0), hs), perm);
        var k = o.linalg.transpose(o.reshape(parts.get(1), hs), perm);
        var v = o.linalg.transpose(o.reshape(parts.get(2), hs), perm);
        o.withName("out").identityN(List.of(q, k, v));
      }
      {
        Ops o = tf.withSubScope("B");
        var t = o.linalg.transpose(o.reshape(qkv, o.constant(new int[] {-1, l, 3, h, dh})), o.constant(new int[] {2, 0, 3, 1, 4}));
        var parts = o.unstack(t, 3L).output();
        o.withName("out").identityN(List.of(parts.get(0), parts.get(1), parts.get(2)));
      }
      {
        Ops o = tf.withSubScope("C");
        var t = o.linalg.transpose(o.reshape(qkv, o.constant(new int[] {-1, l, 3, h, dh})), o.constant(new int[] {2, 0, 3, 1, 4}));
        var parts = o.split(o.constant(0), t, 3L).output();
        var hs = o.constant(new int[] {-1, h, l, dh});
        o.withName("out").identityN(List.of(o.reshape(parts.get(0), hs), o.reshape(parts.get(1), hs), o.reshape(parts.get(2), hs)));
      }
      try (Session s = new Session(g, ModelGraph.sessionConfig(1, 1));
           TFloat32 xt = TFloat32.tensorOf(Shape.of(b * l, 3 * d), DataBuffers.of(xs, true, false))) {
        for (int rep = 0; rep < 3; rep++)
        for (String f : new String[] {"A/out", "B/out", "C/out"}) {
          long best = Long.MAX_VALUE;
          var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
          long c0 = os.getProcessCpuTime(), w0 = System.nanoTime();
          for (int it = 0; it < 300; it++) { long t0 = System.nanoTime(); try (Result res = s.runner().feed("qkv", xt).fetch(f, 0).fetch(f, 1).fetch(f, 2).run()) {} best = Math.min(best, System.nanoTime() - t0); }
          System.out.printf("%s best %.1f us; cpu/wall %.2f%n", f, best / 1e3, (os.getProcessCpuTime() - c0) / (double) (System.nanoTime() - w0));
        }
        try (Result res = s.runner().feed("qkv", xt).fetch("A/out", 0).fetch("A/out", 1).fetch("A/out", 2).fetch("C/out", 0).fetch("C/out", 1).fetch("C/out", 2).run()) {
          for (int i = 0; i < 3; i++) {
            float[] p = new float[b * l * d], q = new float[b * l * d];
            ((TFloat32) res.get(i)).copyTo(DataBuffers.of(p, false, false)); ((TFloat32) res.get(i + 3)).copyTo(DataBuffers.of(q, false, false));
            System.out.println("part " + i + " equal " + Arrays.equals(p, q) + " shape " + res.get(i).shape() + " vs " + res.get(i + 3).shape());
          }
        }
      }
    }
  }
}
