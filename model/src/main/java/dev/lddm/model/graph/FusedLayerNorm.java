package dev.lddm.model.graph;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * {@link Backbone#layerNorm}'s forward as one oneDNN kernel, for float32 inference graphs: TensorFlow's internal op
 * {@code _MklLayerNorm(x, scale, offset)} with {@code epsilon} set to GPT-2's 1e-5, built directly.
 *
 * <p>Why directly: TensorFlow 2.18's Grappler remapper produces this op from a {@code Mean}/{@code
 * SquaredDifference}/{@code Rsqrt} pattern, but never copies the pattern's epsilon into it, so the fused op keeps
 * its default of 1e-3 (a different function; results/bench/2026-12-07-fused-gelu). The op itself reads its {@code
 * epsilon} attribute: built with 1e-5 it computes {@code (x - mean)/sqrt(var + 1e-5)·scale + offset} over the last
 * axis in one pass (on [1776, 128], a decoder run of 48 Countdown-3 sequences: ~95 µs against ~235 µs for the seven
 * ops of the composite, one thread, AMD Zen 5), equal to the composite up to float32 round-off
 * ({@code FusedLayerNormTest}). It has a CPU kernel in TensorFlow's x86 builds whether or not the oneDNN graph
 * rewrites are on ({@code TF_ENABLE_ONEDNN_OPTS=0}); it has no gradient, so training graphs never use it.
 *
 * <p>Whether it is used ({@link #available}) is probed once per process by running the op on a small input and
 * comparing it with the composite; a TensorFlow build without the kernel (or one that computed something else) gets
 * the composite.
 */
final class FusedLayerNorm {
  /** The internal op's type name. */
  static final String OP = "_MklLayerNorm";

  /** What the probe found. */
  enum Probe {
    /** This TensorFlow has no such op or no CPU kernel for it. */
    NO_KERNEL,
    /** The op ran and computed something else than the composite. */
    DIFFERS,
    /** The op ran and agreed with the composite. */
    AGREES
  }

  /** What the probe found in this process, once run ({@link #probe(ConfigProto)}). */
  private static Probe found;

  private FusedLayerNorm() {}

  /** {@code LN(x)} over the last axis of a 2-D [N, d] input, as one {@link #OP}. */
  static Operand<TFloat32> build(Ops tf, Operand<TFloat32> x, Operand<TFloat32> gain, Operand<TFloat32> bias) {
    return tf.scope().opBuilder(OP, "LayerNorm")
        .addInput(x.asOutput())
        .addInput(gain.asOutput())
        .addInput(bias.asOutput())
        .setAttr("epsilon", Backbone.LN_EPS)
        .build()
        .output(0);
  }

  /**
   * Whether inference graphs may use {@link #OP}: only where the probe found that it {@link Probe#AGREES}.
   *
   * @param sessionConfig the threads of the session the caller is about to open: the probe's session, if it is the
   *     process's first, sizes TensorFlow's process-wide thread pools (a CPU device takes the intra-op pool that
   *     the first session made), so it must ask for the same threads the caller would have
   */
  static boolean available(ConfigProto sessionConfig) {
    return probe(sessionConfig) == Probe.AGREES;
  }

  /** What the probe finds in this process: run once, in a session with {@code sessionConfig}'s threads. */
  static synchronized Probe probe(ConfigProto sessionConfig) {
    if (found == null) {
      found = run(sessionConfig);
    }
    return found;
  }

  /**
   * Runs {@link #OP} and the composite on an input whose rows have variances from 1e-6 to 1e2 (where an epsilon of
   * 1e-3 instead of 1e-5 changes the output by far more than round-off) and compares them.
   */
  private static Probe run(ConfigProto sessionConfig) {
    int n = 8;
    int d = 16;
    float[] x = new float[n * d];
    float[] g = new float[d];
    float[] b = new float[d];
    for (int i = 0; i < n; i++) {
      double scale = Math.pow(10, -3 + i * 5.0 / (n - 1));
      for (int j = 0; j < d; j++) {
        x[i * d + j] = (float) (scale * Math.sin(1.7 * j + i) + 0.25 * i);
      }
    }
    for (int j = 0; j < d; j++) {
      g[j] = 1 + 0.05f * j;
      b[j] = 0.01f * j - 0.05f;
    }
    try {
      float[][] out = outputs(sessionConfig, x, n, d, g, b);
      float[] fused = out[0];
      float[] plain = out[1];
      if (fused.length != plain.length) {
        return Probe.DIFFERS;
      }
      for (int i = 0; i < fused.length; i++) {
        if (!(Math.abs(fused[i] - plain[i]) <= 1e-4 * (1 + Math.abs(plain[i])))) {
          return Probe.DIFFERS;
        }
      }
      return Probe.AGREES;
    } catch (RuntimeException | LinkageError e) {
      return Probe.NO_KERNEL; // the composite it is
    }
  }

  /**
   * {@code {fused, composite}}: {@link #build}'s output and {@link Backbone#layerNormForward}'s for the [n, d] input
   * {@code x} with gain {@code g} and bias {@code b}, run in one session with {@code sessionConfig}.
   */
  static float[][] outputs(ConfigProto sessionConfig, float[] x, int n, int d, float[] g, float[] b) {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Operand<TFloat32> xs = tf.constant(Shape.of(n, d), DataBuffers.of(x, true, false));
      Operand<TFloat32> gs = tf.constant(g);
      Operand<TFloat32> bs = tf.constant(b);
      tf.withName("fused").identity(build(tf, xs, gs, bs));
      tf.withName("plain").identity(Backbone.layerNormForward(tf, xs, gs, bs)[0]);
      try (Session s = new Session(graph, sessionConfig); Result res = s.runner().fetch("fused").fetch("plain").run()) {
        return new float[][] {Tensors.read(res.get(0)), Tensors.read(res.get(1))};
      }
    }
  }
}
