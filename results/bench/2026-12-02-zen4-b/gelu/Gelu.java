import java.util.*;
import org.tensorflow.*;
import org.tensorflow.op.*;
import org.tensorflow.op.core.*;
import org.tensorflow.types.*;
import org.tensorflow.ndarray.*;

public class Gelu {
  static final double C0 = 2 * Math.sqrt(2.0 / Math.PI), C1 = 0.044715 * C0;
  public static void main(String[] a) {
    int n = Integer.parseInt(a[0]), d = Integer.parseInt(a[1]), iters = Integer.parseInt(a[2]);
    boolean reg = TensorFlow.registerCustomGradient("IdentityN", (tf, op, grads) -> {
      List<Operand<?>> out = new ArrayList<>();
      if (!op.name().contains("GeluCarrier")) { out.addAll(grads); return out; }
      Operand<TFloat32> dy = (Operand<TFloat32>) (Operand<?>) grads.get(0);
      Operand<TFloat32> y = (Operand<TFloat32>) (Operand<?>) op.input(0);
      Operand<TFloat32> sq = (Operand<TFloat32>) (Operand<?>) op.input(1);
      Operand<TFloat32> s = (Operand<TFloat32>) (Operand<?>) op.input(2);
      Operand<TFloat32> du = tf.math.add(tf.math.mul(sq, tf.constant((float) (3 * C1))), tf.constant((float) C0));
      Operand<TFloat32> g = tf.math.add(s, tf.math.mul(tf.math.mul(y, tf.math.sub(tf.constant(1f), s)), du));
      out.add(tf.zerosLike(y)); out.add(tf.zerosLike(sq)); out.add(tf.zerosLike(s)); out.add(tf.math.mul(dy, g));
      return out;
    });
    System.out.println("registered IdentityN gradient: " + reg);
    for (int round = 0; round < 3; round++) {
      for (String kind : new String[] {"composite", "carrier"}) {
        double[] res = run(kind, n, d, iters);
        System.out.printf("%s round %d: %.3f ms/iter (fwd+bwd), checksum %.6f%n", kind, round, res[0], res[1]);
      }
    }
  }

  static double[] run(String kind, int n, int d, int iters) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Random r = new Random(1);
      float[][] xs = new float[n][d], rs = new float[n][d];
      for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) { xs[i][j] = (float) r.nextGaussian(); rs[i][j] = (float) r.nextGaussian(); }
      TFloat32 xt = TFloat32.tensorOf(StdArrays.ndCopyOf(xs));
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class);
      Operand<TFloat32> rr = tf.constant(StdArrays.ndCopyOf(rs));
      Operand<TFloat32> y;
      if (kind.equals("composite")) {
        Operand<TFloat32> u = tf.math.mul(x, tf.math.add(tf.math.mul(tf.math.square(x), tf.constant((float) C1)), tf.constant((float) C0)));
        y = tf.math.mul(x, tf.math.sigmoid(u));
      } else {
        Operand<TFloat32> xs0 = tf.stopGradient(x);
        Operand<TFloat32> sq = tf.math.square(xs0);
        Operand<TFloat32> s = tf.math.sigmoid(tf.math.mul(xs0, tf.math.add(tf.math.mul(sq, tf.constant((float) C1)), tf.constant((float) C0))));
        Operand<TFloat32> y0 = tf.math.mul(xs0, s);
        y = (Operand<TFloat32>) (Operand<?>) tf.withName("GeluCarrier").identityN(Arrays.asList(y0, sq, s, x)).output().get(0);
      }
      Operand<TFloat32> loss = tf.sum(tf.math.mul(y, rr), tf.constant(new int[] {0, 1}));
      Output<?>[] grads = g.addGradients(loss.asOutput(), new Output<?>[] {x.asOutput()});
      org.tensorflow.proto.ConfigProto cfg = org.tensorflow.proto.ConfigProto.newBuilder().setIntraOpParallelismThreads(1).setInterOpParallelismThreads(1).build();
      try (Session s = new Session(g, cfg)) {
        double check = 0;
        for (int i = 0; i < 5; i++) s.runner().feed(x, xt).fetch(grads[0]).run().close();
        long t0 = System.nanoTime();
        for (int i = 0; i < iters; i++) {
          try (Result res = s.runner().feed(x, xt).fetch(grads[0]).fetch(loss).run()) {
            if (i == 0) {
              TFloat32 gx = (TFloat32) res.get(0);
              for (int k = 0; k < 1000; k++) check += gx.getFloat(k / d, k % d);
              check += ((TFloat32) res.get(1)).getFloat() * 1e-3;
            }
          }
        }
        return new double[] {(System.nanoTime() - t0) / 1e6 / iters, check};
      }
    }
  }
}
