import java.util.*;
import org.tensorflow.*;
import org.tensorflow.op.*;
import org.tensorflow.op.core.*;
import org.tensorflow.op.math.Mean;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.op.nn.FusedBatchNormGrad;
import org.tensorflow.types.*;
import org.tensorflow.ndarray.*;

public class Ln {
  static final float EPS = 1e-5f;
  public static void main(String[] a) {
    int n = Integer.parseInt(a[0]), d = Integer.parseInt(a[1]), iters = Integer.parseInt(a[2]);
    boolean reg = TensorFlow.registerCustomGradient("FusedBatchNormV3", (tf, op, grads) -> {
      FusedBatchNormGrad<TFloat32, TFloat32> g = FusedBatchNormGrad.create(tf.scope(),
          (Operand<TFloat32>) (Operand<?>) grads.get(0), (Operand<TFloat32>) (Operand<?>) op.input(0), (Operand<TFloat32>) (Operand<?>) op.input(1),
          op.<TFloat32>output(3), op.<TFloat32>output(4), op.<TFloat32>output(5),
          FusedBatchNormGrad.epsilon(EPS), FusedBatchNormGrad.dataFormat("NCHW"), FusedBatchNormGrad.isTraining(true));
      return Arrays.asList(g.xBackprop(), g.scaleBackprop(), g.offsetBackprop(), tf.zerosLike(op.input(3)), tf.zerosLike(op.input(4)));
    });
    System.out.println("registered custom FusedBatchNormV3 gradient: " + reg);
    for (int round = 0; round < 3; round++) {
      for (String kind : new String[] {"composite", "fused"}) {
        double[] res = run(kind, n, d, iters);
        System.out.printf("%s round %d: %.3f ms/iter (fwd+bwd), checksum %.6f%n", kind, round, res[0], res[1]);
      }
    }
  }

  static double[] run(String kind, int n, int d, int iters) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Random r = new Random(1);
      float[] xs = new float[n * d], rs = new float[n * d];
      for (int i = 0; i < xs.length; i++) { xs[i] = (float) r.nextGaussian(); rs[i] = (float) r.nextGaussian(); }
      TFloat32 xt = TFloat32.tensorOf(StdArrays.ndCopyOf(reshape(xs, n, d)));
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class);
      Operand<TFloat32> rr = tf.constant(StdArrays.ndCopyOf(reshape(rs, n, d)));
      Operand<TFloat32> gain = tf.constant(StdArrays.ndCopyOf(fill(d, 1.1f)));
      Operand<TFloat32> bias = tf.constant(StdArrays.ndCopyOf(fill(d, 0.1f)));
      Operand<TFloat32> y;
      if (kind.equals("composite")) {
        Operand<TInt32> last = tf.constant(-1);
        Operand<TFloat32> mean = tf.math.mean(x, last, Mean.keepDims(true));
        Operand<TFloat32> c = tf.math.sub(x, mean);
        Operand<TFloat32> var = tf.math.mean(tf.math.square(c), last, Mean.keepDims(true));
        y = tf.math.mul(c, tf.math.rsqrt(tf.math.add(var, tf.constant(EPS))));
      } else {
        Operand<TFloat32> x4 = tf.reshape(x, tf.constant(new int[] {1, n, d, 1}));
        FusedBatchNorm<TFloat32, TFloat32> bn = FusedBatchNorm.create(tf.scope(), x4, tf.fill(tf.constant(new int[] {n}), tf.constant(1f)),
            tf.fill(tf.constant(new int[] {n}), tf.constant(0f)), tf.constant(new float[0]), tf.constant(new float[0]),
            FusedBatchNorm.epsilon(EPS), FusedBatchNorm.dataFormat("NCHW"), FusedBatchNorm.isTraining(true));
        y = tf.reshape(bn.y(), tf.constant(new int[] {n, d}));
      }
      y = tf.math.add(tf.math.mul(y, gain), bias);
      Operand<TFloat32> loss = tf.sum(tf.math.mul(y, rr), tf.constant(new int[] {0, 1}));
      Output<?>[] grads = g.addGradients(loss.asOutput(), new Output<?>[] {x.asOutput(), gain.asOutput(), bias.asOutput()});
      org.tensorflow.proto.ConfigProto cfg = org.tensorflow.proto.ConfigProto.newBuilder().setIntraOpParallelismThreads(1).setInterOpParallelismThreads(1).build();
      try (Session s = new Session(g, cfg)) {
        double check = 0;
        for (int i = 0; i < 5; i++) s.runner().feed(x, xt).fetch(grads[0]).fetch(grads[1]).run().close();
        long t0 = System.nanoTime();
        for (int i = 0; i < iters; i++) {
          try (Result res = s.runner().feed(x, xt).fetch(grads[0]).fetch(grads[1]).fetch(loss).run()) {
            if (i == 0) {
              TFloat32 gx = (TFloat32) res.get(0);
              for (int k = 0; k < 1000; k++) check += gx.getFloat(k / d, k % d);
              check += ((TFloat32) res.get(2)).getFloat() * 1e-3;
            }
          }
        }
        return new double[] {(System.nanoTime() - t0) / 1e6 / iters, check};
      }
    }
  }
  static float[][] reshape(float[] v, int n, int d) { float[][] m = new float[n][d]; for (int i = 0; i < n; i++) System.arraycopy(v, i * d, m[i], 0, d); return m; }
  static float[] fill(int d, float v) { float[] f = new float[d]; Arrays.fill(f, v); return f; }
}
