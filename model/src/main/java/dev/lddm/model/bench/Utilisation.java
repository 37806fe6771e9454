package dev.lddm.model.bench;

import dev.lddm.model.ModelConfig;
import dev.lddm.model.ModelKind;
import dev.lddm.model.Precision;
import dev.lddm.model.graph.ModelGraph;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat32;

/**
 * Hardware utilisation of the training step, in one process: the achieved GFLOP/s of a {@code n×n·n×n} MatMul
 * in TF Java in the step's precision (the ceiling; fp32, or bf16 operands and result for a bf16 step; 1
 * intra-op and 1 inter-op thread) and of the MGDM training step, and their ratio. The two are measured
 * alternately ({@code rounds} times) and the medians compared.
 *
 * <p>FLOPs of the step are counted analytically, matrix products only (a multiply-add is 2 FLOPs):
 *
 * <pre>
 *   N = B·L tokens; per block:  2·N·d·3d (QKV) + 2·N·d·d (attn out) + 2·2·N·d·F (MLP)
 *                             + 2·2·B·L²·d (Q·K^T and P·V over all heads)
 *   forward = layers · block + 2·N·d·V (tied output head)
 *   step    = 3 · forward   (backward = 2 products per forward product: dX and dW)
 * </pre>
 *
 * Element-wise work (LayerNorm, GELU, softmax, loss, AdamW) is not counted, so the figure is the useful
 * matrix throughput. For small (4 layers, d=128, F=512, V=31) at B=64, L=64 this is 21.04 GFLOP/step.
 *
 * <p>Usage: {@code Utilisation [preset=small] [batch=64] [seqLen=64] [rounds=3] [steps=20] [n=2048] [matmuls=10]
 * [precision=fp32]}
 */
public final class Utilisation {
  private Utilisation() {}

  /** Analytic matrix FLOPs of one training step (fwd + bwd) of an MGDM model (see the class comment). */
  public static double stepFlops(ModelConfig c, int batch) {
    return 3 * dev.lddm.model.train.TrainingFlops.forward(c, batch);
  }

  public static void main(String[] args) {
    String preset = arg(args, 0, "small");
    int b = Integer.parseInt(arg(args, 1, "64"));
    int l = Integer.parseInt(arg(args, 2, "64"));
    int rounds = Integer.parseInt(arg(args, 3, "3"));
    int steps = Integer.parseInt(arg(args, 4, "20"));
    int n = Integer.parseInt(arg(args, 5, "2048"));
    int matmuls = Integer.parseInt(arg(args, 6, "10"));
    Precision precision = Precision.parse(arg(args, 7, "fp32"));
    ModelConfig c = ModelConfig.preset(ModelKind.MGDM, preset, l).withPrecision(precision);
    double flops = stepFlops(c, b);
    double[] mm = new double[rounds];
    double[] st = new double[rounds];
    try (Graph mg = new Graph();
         ModelGraph g = ModelGraph.build(c, ModelGraph.Mode.TRAINING, 1, 0f, ModelGraph.sessionConfig(1, 1))) {
      Ops tf = Ops.create(mg);
      Operand<TFloat32> a = tf.random.statelessRandomNormal(tf.constant(new long[] {n, n}), tf.constant(new long[] {1, 2}));
      Operand<TFloat32> bb = tf.random.statelessRandomNormal(tf.constant(new long[] {n, n}), tf.constant(new long[] {3, 4}));
      if (precision == Precision.BF16) {
        tf.withName("c").linalg.matMul(tf.withName("a").variable(tf.dtypes.cast(a, TBfloat16.class)),
            tf.withName("b").variable(tf.dtypes.cast(bb, TBfloat16.class)));
      } else {
        tf.withName("c").linalg.matMul(tf.withName("a").variable(a), tf.withName("b").variable(bb));
      }
      g.initialize();
      SplittableRandom r = new SplittableRandom(7);
      try (Session ms = new Session(mg, ModelGraph.sessionConfig(1, 1))) {
        ms.initialize();
        runMatMul(ms, 2); // warm-up
        for (int i = 0; i < 5; i++) {
          StepProfile.step(g.session(), c, b, r, false, i + 1);
        }
        long k = 6;
        for (int round = 0; round < rounds; round++) {
          long t0 = System.nanoTime();
          runMatMul(ms, matmuls);
          double sec = (System.nanoTime() - t0) / 1e9 / matmuls;
          mm[round] = 2.0 * n * n * n / sec / 1e9;
          t0 = System.nanoTime();
          for (int i = 0; i < steps; i++) {
            StepProfile.step(g.session(), c, b, r, false, k++);
          }
          double stepSec = (System.nanoTime() - t0) / 1e9 / steps;
          st[round] = flops / stepSec / 1e9;
          System.out.printf(Locale.ROOT, "round %d: " + precision.id() + " MatMul %d^3 %.1f GFLOP/s; train step %.1f ms = %.1f GFLOP/s"
              + " (%.1f%%); load average %s%n", round + 1, n, mm[round], stepSec * 1e3, st[round],
              100 * st[round] / mm[round], TrainSpeed.loadAverage());
        }
      }
    }
    double mmMed = median(mm);
    double stMed = median(st);
    System.out.printf(Locale.ROOT, "median: %s MatMul %d^3 %.1f GFLOP/s (1 thread); mgdm %s %s B=%d L=%d train step"
            + " %.2f GFLOP/step, %.1f ms/step = %.1f GFLOP/s; utilisation %.1f%% of the %s MatMul%n", precision.id(),
        n, mmMed, preset, precision.id(), b, l, flops / 1e9, flops / stMed / 1e6, stMed, 100 * stMed / mmMed,
        precision.id());
  }

  private static void runMatMul(Session s, int times) {
    for (int i = 0; i < times; i++) {
      s.runner().addTarget("c").run().close();
    }
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static String arg(String[] a, int i, String dflt) {
    return a.length > i ? a[i] : dflt;
  }
}
