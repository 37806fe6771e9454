package dev.lddm.model.graph;

import dev.lddm.model.ModelConfig;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TType;

/**
 * Data parallelism inside one training graph: a forward pass built as {@link #COUNT} towers, each over its own slice
 * of the batch and sharing every variable, with the logits and latents concatenated back in batch order. The loss
 * is then the same function of the same tensors as with one tower; TensorFlow's gradient builder sums each weight's
 * per-tower gradients ({@code AddN}), so only the rounding of those sums and of the smaller matrix products differs.
 *
 * <p>Why: TensorFlow's CPU kernels split one op across threads poorly at this model's sizes (a second intra-op
 * thread bought 1.15-1.3x), while two independent towers keep two inter-op threads busy with one intra-op thread
 * each: the MGDM {@code small} step at 2 threads went from 150.2 to 102.8 ms (fp32) and LDDM's from 249.6 to 198.0
 * ms (bf16) on an AMD Zen 5 host (interleaved medians, {@code results/bench/2026-12-07-towers/}). One thread runs the
 * towers one after the other at no measurable cost.
 *
 * <p>The tower count is a constant of the training graph, never derived from the thread count, so a run computes
 * the same bits at every {@code --threads}: each op runs on one intra-op thread whatever the inter-op pool does,
 * and the graph (hence every sum's order) is the same. Tower {@code t} of {@code n} takes
 * {@code ceil((B - t) / n)} sequences, in order ({@link #size}); {@code n} must not exceed the fed batch (an empty
 * tower's embedding gradient fails in TensorFlow), so a training graph for batch B has {@link #count} towers.
 * Inference graphs have one tower (decoding parallelises over
 * sequences in Java instead, {@code dev.lddm.model.decode.Parallel}).
 */
public final class Towers {
  /** Towers of every training graph: one per core of the 2-vCPU machines this project trains on. */
  public static final int COUNT = 2;

  private Towers() {}

  /**
   * Intra-op threads for {@code N} TensorFlow threads ({@code lddm train --threads N}, with N inter-op threads):
   * N split over the {@link #COUNT} towers, at least 1; 0 stays TensorFlow's default. At N = 2 that is one thread
   * per tower: 102.8 ms per MGDM {@code small} fp32 step against 150.2 ms for one tower with 2 intra-op threads
   * ({@code results/bench/2026-12-07-towers/}), with the same bits as one thread
   * ({@code scripts/bench/threads-identical.sh}).
   */
  public static int intraOpThreads(int threads) {
    return threads == 0 ? 0 : Math.max(1, threads / COUNT);
  }

  /** Towers of the training graph for a batch of {@code batch} sequences: {@link #COUNT}, fewer for a tiny batch. */
  public static int count(int batch) {
    return Math.max(1, Math.min(COUNT, batch));
  }

  /** Sequences of tower {@code t} of {@code n} for a batch of {@code b}: {@code ceil((b - t) / n)}. */
  public static int size(int b, int t, int n) {
    return Math.floorDiv(b - t + n - 1, n);
  }

  /** The first sequence of tower {@code t} of {@code n} for a batch of {@code b}. */
  public static int start(int b, int t, int n) {
    int s = 0;
    for (int i = 0; i < t; i++) {
      s += size(b, i, n);
    }
    return s;
  }

  /**
   * {@link Backbone#forward} as {@code n} towers: tower {@code t} is built under {@code scope + "_t" + t} (one
   * tower: under {@code scope}, the plain graph) on its slice of {@code tokens} and {@code latent}, with
   * {@code drop}'s masks sliced to it ({@link Dropout.Pass#tower}).
   *
   * @param latent [B, L, d], or {@code null}: zeros for a model with a latent (LDDM's first pass), none otherwise
   */
  public static Backbone.Output forward(Ops tf, String scope, ModelConfig c, Backbone.Weights w, Operand<TInt32> tokens,
                                        Operand<TFloat32> latent, Dropout.Pass drop, int n) {
    if (n < 1) {
      throw new IllegalArgumentException("towers must be >= 1, got " + n);
    }
    if (n == 1) {
      return Backbone.forward(tf.withSubScope(scope), c, w, tokens, latentOrZeros(tf, c, tokens, latent), drop);
    }
    Operand<TInt32> sizes = sizes(tf, tokens, n);
    List<Operand<TInt32>> tok = split(tf, tokens, sizes, n);
    List<Operand<TFloat32>> lat = latent == null ? null : split(tf, latent, sizes, n);
    List<Operand<TFloat32>> logits = new ArrayList<>();
    List<Operand<TFloat32>> latents = new ArrayList<>();
    for (int t = 0; t < n; t++) {
      Backbone.Output o = Backbone.forward(tf.withSubScope(scope + "_t" + t), c, w, tok.get(t),
          latentOrZeros(tf, c, tok.get(t), lat == null ? null : lat.get(t)), drop == null ? null : drop.tower(t, n));
      logits.add(o.logits());
      latents.add(o.latent());
    }
    Operand<TInt32> axis = tf.constant(0);
    return new Backbone.Output(tf.concat(logits, axis), tf.concat(latents, axis));
  }

  /** Zeros [B, L, d] for a latent model's first pass when {@code latent} is null; else {@code latent}. */
  private static Operand<TFloat32> latentOrZeros(Ops tf, ModelConfig c, Operand<TInt32> tokens,
                                                 Operand<TFloat32> latent) {
    if (latent != null || !c.kind().hasLatent()) {
      return latent;
    }
    Operand<TInt32> shape = tf.concat(List.of(tf.shape(tokens), tf.constant(new int[] {c.dModel()})), tf.constant(0));
    return tf.zeros(shape, TFloat32.class);
  }

  /** The towers' sizes [n] for the fed batch, {@link #size} computed in the graph. */
  private static Operand<TInt32> sizes(Ops tf, Operand<TInt32> tokens, int n) {
    Operand<TInt32> b = tf.gather(tf.shape(tokens), tf.constant(0), tf.constant(0));
    List<Operand<TInt32>> s = new ArrayList<>();
    for (int t = 0; t < n; t++) {
      s.add(tf.math.floorDiv(tf.math.add(b, tf.constant(n - 1 - t)), tf.constant(n)));
    }
    return tf.stack(s);
  }

  private static <T extends TType> List<Operand<T>> split(Ops tf, Operand<T> x, Operand<TInt32> sizes, int n) {
    List<Operand<T>> out = new ArrayList<>(n);
    for (org.tensorflow.Output<T> o : tf.splitV(x, sizes, tf.constant(0), (long) n).output()) {
      out.add(o);
    }
    return out;
  }
}
