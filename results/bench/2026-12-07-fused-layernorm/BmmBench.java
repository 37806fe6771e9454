package dev.lddm.model.graph;

// Attention core with BatchMatMulV3 vs V2; see README.md.

import java.util.*;
import org.tensorflow.*;
import org.tensorflow.op.*;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.ndarray.*;
import org.tensorflow.ndarray.buffer.*;
import org.tensorflow.types.*;
import org.tensorflow.proto.*;

public final class BmmBench {
  static Operand<TFloat32> bmm(Ops tf, String type, Operand<TFloat32> a, Operand<TFloat32> b, boolean adjY) {
    var ob = tf.scope().opBuilder(type, type + (adjY ? "adj" : "")).addInput(a.asOutput()).addInput(b.asOutput()).setAttr("adj_x", false).setAttr("adj_y", adjY);
    if (type.equals("BatchMatMulV3")) { ob.setAttr("Ta", DataType.DT_FLOAT); ob.setAttr("Tb", DataType.DT_FLOAT); ob.setAttr("Tout", DataType.DT_FLOAT); }
    else ob.setAttr("T", DataType.DT_FLOAT);
    return ob.build().output(0);
  }
  public static void main(String[] a) {
    int b = 48, h = 4, l = 37, dh = 32;
    SplittableRandom r = new SplittableRandom(3);
    float[] qs = new float[b * h * l * dh], ks = new float[qs.length], vs = new float[qs.length];
    for (int i = 0; i < qs.length; i++) { qs[i] = (float) r.nextGaussian(); ks[i] = (float) r.nextGaussian(); vs[i] = (float) r.nextGaussian(); }
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      var q = tf.withName("q").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, h, l, dh)));
      var k = tf.withName("k").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, h, l, dh)));
      var v = tf.withName("v").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, h, l, dh)));
      var sc = tf.constant((float) (1.0 / Math.sqrt(dh)));
      for (String t : new String[] {"BatchMatMulV3", "BatchMatMulV2"}) {
        Ops o = tf.withSubScope(t);
        var s = o.math.mul(bmm(o, t, q, k, true), sc);
        var p = o.nn.softmax(s);
        o.withName("out").identity(bmm(o, t, p, v, false));
      }
      try (Session s = new Session(g, ModelGraph.sessionConfig(1, 1));
           TFloat32 qt = TFloat32.tensorOf(Shape.of(b, h, l, dh), DataBuffers.of(qs, true, false));
           TFloat32 kt = TFloat32.tensorOf(Shape.of(b, h, l, dh), DataBuffers.of(ks, true, false));
           TFloat32 vt = TFloat32.tensorOf(Shape.of(b, h, l, dh), DataBuffers.of(vs, true, false))) {
        for (String f : new String[] {"BatchMatMulV3/out", "BatchMatMulV2/out", "BatchMatMulV3/out", "BatchMatMulV2/out"}) {
          long best = Long.MAX_VALUE;
          for (int it = 0; it < 300; it++) { long t0 = System.nanoTime(); try (Result res = s.runner().feed("q", qt).feed("k", kt).feed("v", vt).fetch(f).run()) {} best = Math.min(best, System.nanoTime() - t0); }
          System.out.printf("%s best %.1f us%n", f, best / 1e3);
        }
        var opts = RunOptions.newBuilder().setOutputPartitionGraphs(true).build();
        try (Result res = s.runner().feed("q", qt).feed("k", kt).feed("v", vt).fetch("BatchMatMulV3/out").fetch("BatchMatMulV2/out").setOptions(opts).runAndFetchMetadata()) {
          for (GraphDef pg : res.getMetadata().get().getPartitionGraphsList()) for (NodeDef nd : pg.getNodeList()) System.out.println("  " + nd.getName() + " = " + nd.getOp() + (nd.getAttrMap().containsKey("fused_ops") ? " " + nd.getAttrMap().get("fused_ops").getList().getSList() : ""));
          float[] p = new float[qs.length], pp = new float[qs.length];
          ((TFloat32) res.get(0)).copyTo(DataBuffers.of(p, false, false)); ((TFloat32) res.get(1)).copyTo(DataBuffers.of(pp, false, false));
          double mx = 0; int same = 0; for (int i = 0; i < p.length; i++) { mx = Math.max(mx, Math.abs(p[i] - pp[i])); if (p[i] == pp[i]) same++; }
          System.out.printf("max abs diff %.3g, identical %d/%d%n", mx, same, p.length);
        }
      }
    }
  }
}
