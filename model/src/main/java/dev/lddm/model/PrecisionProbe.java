package dev.lddm.model;

import java.util.Arrays;
import java.util.Locale;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat32;

/**
 * Which precision trains faster on this machine ({@code --precision auto}): times one matrix product in fp32
 * and with bf16 operands, alternately, and picks {@link Precision#BF16} only when its median is at least
 * {@link #BF16_MARGIN} times faster. About a second.
 *
 * <p>Why a measurement and not a CPU flag: AVX512_BF16 alone does not make bf16 fast. Measured in this project
 * (results/bench): on an Intel Xeon (family 6 model 207, AVX512_BF16, no AMX) the bf16 MatMul ran at half the
 * fp32 rate and the {@code small} step was 1.35x slower in bf16; on AMD Zen 4 (family 25 model 17) the bf16
 * MatMul ran 1.88x fp32 and the step 1.32x faster; on Zen 5 the MatMul 1.7x. The margin keeps a machine where the
 * two are close on fp32, whose step has no casts. The shape is the {@code small} preset's widest product
 * ([B·L, d]·[d, 4d] at B·L = 2,368), with the threads the training will have.
 */
public final class PrecisionProbe {
  /** bf16's MatMul must be at least this much faster than fp32's for {@code auto} to choose it. */
  public static final double BF16_MARGIN = 1.3;

  private static final int ROWS = 2368;
  private static final int INNER = 128;
  private static final int COLS = 512;
  private static final int ROUNDS = 5;
  private static final int PRODUCTS = 20;

  private PrecisionProbe() {}

  /** What the probe measured and chose. */
  public record Result(double fp32Gflops, double bf16Gflops, Precision chosen) {
    /** One line for the training banner, e.g. {@code auto chose bf16: MatMul bf16 201 vs fp32 108 GFLOP/s}. */
    public String describe() {
      return String.format(Locale.ROOT, "--precision auto chose %s (MatMul bf16 %.0f vs fp32 %.0f GFLOP/s; bf16 needs"
          + " %.1fx)", chosen.id(), bf16Gflops, fp32Gflops, BF16_MARGIN);
    }
  }

  /**
   * Measures both precisions and chooses, in a session with {@code sessionConfig}: pass the threads the training
   * session will have. The first session of a process sizes TensorFlow's shared thread pools for every later one
   * (see {@link Devices#list}), so a probe at one thread before a {@code --threads 2} training pinned that training
   * to one intra-op thread (measured: 150 {@code small} steps took 17.6 s after the probe vs 9.8 s without it).
   */
  public static Result run(ConfigProto sessionConfig) {
    double[] fp32 = new double[ROUNDS];
    double[] bf16 = new double[ROUNDS];
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> a = tf.random.statelessRandomNormal(tf.constant(new long[] {ROWS, INNER}),
          tf.constant(new long[] {1, 2}));
      Operand<TFloat32> b = tf.random.statelessRandomNormal(tf.constant(new long[] {INNER, COLS}),
          tf.constant(new long[] {3, 4}));
      var af = tf.withName("af").variable(a);
      var bf = tf.withName("bf").variable(b);
      tf.withName("f").linalg.matMul(af, bf);
      tf.withName("h").linalg.matMul(tf.withName("ah").variable(tf.dtypes.cast(a, TBfloat16.class)),
          tf.withName("bh").variable(tf.dtypes.cast(b, TBfloat16.class)));
      try (Session s = new Session(g, sessionConfig)) {
        s.initialize();
        time(s, "f", 3);
        time(s, "h", 3);
        double flops = 2.0 * ROWS * INNER * COLS * PRODUCTS;
        for (int r = 0; r < ROUNDS; r++) {
          fp32[r] = flops / time(s, "f", PRODUCTS) / 1e9;
          bf16[r] = flops / time(s, "h", PRODUCTS) / 1e9;
        }
      }
    }
    double f = median(fp32);
    double h = median(bf16);
    return new Result(f, h, choose(f, h));
  }

  /** The choice for measured GFLOP/s: bf16 only when it is at least {@link #BF16_MARGIN}x fp32. */
  public static Precision choose(double fp32Gflops, double bf16Gflops) {
    return bf16Gflops >= BF16_MARGIN * fp32Gflops ? Precision.BF16 : Precision.FP32;
  }

  private static double time(Session s, String target, int times) {
    long t0 = System.nanoTime();
    for (int i = 0; i < times; i++) {
      s.runner().addTarget(target).run().close();
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
