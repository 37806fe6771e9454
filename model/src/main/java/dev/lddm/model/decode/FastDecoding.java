package dev.lddm.model.decode;

import dev.lddm.model.ModelConfig;
import dev.lddm.model.graph.DecodeHeads;
import dev.lddm.model.graph.ModelGraph;
import dev.lddm.model.graph.OpNames;
import dev.lddm.tasks.token.Vocabulary;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The plain decoder (no observer): the same sequences as {@link ReferenceDecoding}, bit for bit, with much less
 * work outside the forward pass.
 *
 * <ul>
 *   <li>Fetches the [B, L] reductions of {@link DecodeHeads} instead of copying the logits [B, L, V] to Java.
 *       Tokens are exact. The ranking uses {@code score = z[best] - max - lse} with a float32 log-sum-exp,
 *       which differs from the reference's double by at most about {@code (V + 4)·2^-24} (2e-6 for V = 31).
 *       The re-masked set is the k smallest of {@code score + temp·g}; when the gap between the k-th and the
 *       (k+1)-th smallest is more than {@code 2·}{@link #margin} (1e-3, > 400 times that error), no error of that
 *       size can change the set, so it equals the reference's. Otherwise (and for any non-finite value) the
 *       example is re-ranked exactly as the reference does, from its logits, which stay in TensorFlow's memory
 *       (fetched without copying). The Gumbel noise is drawn once, in the reference's order, and shared by both.
 *   <li>LDDM: the latent stays a TensorFlow tensor: the fetched {@code latent_out} is fed back as the next
 *       step's {@code latent_in}.
 *   <li>Runs at most {@link #RUN} sequences per {@code Session.run} (the chunk of {@link DecodeOptions#batch()}
 *       is cut into runs): faster (the activations stay in cache) and bit-identical to one run per chunk, because
 *       a row's logits depend only on its row and on how many rows of the last matmul block of the run are
 *       filled, and 48·L rows fill whole blocks of 1, 2, 3, 4, 6, 8, 12, 16, 24 and 48 rows; the last run of a
 *       chunk then ends exactly as the chunk does. Tested against the reference (FastDecodingTest).
 *   <li>AR: fetches the exact next-token ids [B, L] and skips runs whose rows have all finished.
 *   <li>Several runs (of all chunks of one call) decode at once, one per worker thread ({@link #decode}); each
 *       run computes what it computes alone, so the sequences do not depend on the number of workers.
 * </ul>
 */
final class FastDecoding {
  /** Sequences per {@code Session.run} (see the class comment for why 48). */
  static final int RUN = 48;

  private final ModelGraph graph;
  private final ModelConfig c;
  private final int l;
  private final int v;
  /** Half the gap below which a ranking is redone exactly (package-private for tests). */
  double margin;
  /** Examples re-ranked exactly since construction (tests). */
  final LongAdder exactReranks = new LongAdder();

  FastDecoding(ModelGraph graph) {
    this.graph = graph;
    this.c = graph.config();
    this.l = c.seqLen();
    this.v = c.vocab();
    this.margin = Math.max(1e-3, 512 * (v + 4) * 0x1p-24);
  }

  /**
   * Decodes every chunk; returns their rows in order. The runs (at most {@link #RUN} sequences of one chunk) are
   * independent through all T steps (each example has its own noise generator and no run reads another's rows),
   * so up to {@code workers} of them run at once, each on its own thread with its own {@code Session.run} calls;
   * every run computes exactly what it computes alone, so the sequences do not depend on {@code workers} or on
   * the order in which runs finish.
   */
  List<int[]> decode(List<Chunk> chunks, DecodeOptions opts, int workers) {
    List<Runnable> runs = new ArrayList<>();
    for (Chunk ch : chunks) {
      boolean[] active = null;
      if (c.kind().isAutoregressive()) {
        active = ch.ok.clone();
        ch.padTargets();
      }
      for (int r0 = 0; r0 < ch.b; r0 += RUN) {
        int from = r0;
        int n = Math.min(RUN, ch.b - r0);
        if (!anyOk(ch, from, n)) {
          continue;
        }
        boolean[] act = active;
        runs.add(act != null ? () -> greedy(ch, act, from, n) : () -> diffusion(ch, from, n, opts));
      }
    }
    Parallel.runAll(runs, workers);
    List<int[]> out = new ArrayList<>();
    for (Chunk ch : chunks) {
      out.addAll(ch.rows());
    }
    return out;
  }

  /** All T steps of the run of sequences {@code r0 .. r0+n-1} of {@code ch}. */
  private void diffusion(Chunk ch, int r0, int n, DecodeOptions opts) {
    boolean lddm = c.kind().hasLatent();
    boolean carry = lddm && opts.latent();
    Result previous = null; // the last step's result, holding its latent_out
    TFloat32 zeros = null;
    int steps = opts.steps();
    try {
      for (int s = 0; s < steps; s++) {
        int t = steps - 1 - s;
        double rate = t / (double) steps;
        boolean zeroLatent = !carry || s == 0 || (opts.latentReset() > 0 && s % opts.latentReset() == 0);
        Session.Runner runner = graph.session().runner()
            .fetch(DecodeHeads.BEST_TOKEN).fetch(DecodeHeads.STATS).fetch(OpNames.LOGITS);
        if (lddm) {
          Tensor h;
          if (zeroLatent) {
            if (zeros == null) {
              zeros = zeroLatent(n);
            }
            h = zeros;
          } else {
            h = previous.get(3);
          }
          runner.feed(OpNames.LATENT_IN, h);
          if (carry) {
            runner.fetch(OpNames.LATENT_OUT);
          }
        }
        Result res;
        try (TInt32 tok = tokens(ch.x, r0, n)) {
          res = runner.feed(OpNames.TOKENS, tok).run();
        }
        try {
          int[] best = ints(res.get(0), n);
          float[] stats = new float[n * l * 3];
          ((TFloat32) res.get(1)).copyTo(DataBuffers.of(stats, false, false));
          TFloat32 logits = (TFloat32) res.get(2);
          for (int j = r0; j < r0 + n; j++) {
            if (ch.ok[j]) {
              update(ch, j, j - r0, best, stats, logits, t, rate, opts.decoder());
            }
          }
        } finally {
          if (carry) {
            if (previous != null) {
              previous.close();
            }
            previous = res;
          } else {
            res.close();
          }
        }
      }
    } finally {
      if (previous != null) {
        previous.close();
      }
      if (zeros != null) {
        zeros.close();
      }
    }
  }

  /** The reference's update of example j (local index {@code jl} in its run) from the fetched reductions. */
  private void update(Chunk ch, int j, int jl, int[] best, float[] stats, TFloat32 logits, int t, double rate,
                      Decoder decoder) {
    int[] x = ch.x;
    int src = ch.src[j];
    int n = l - src;
    int[] x0 = new int[n];
    double[] score = new double[n];
    boolean exact = false;
    for (int i = 0; i < n && !exact; i++) {
      int pos = j * l + src + i;
      if (decoder == Decoder.MASKED_ONLY && x[pos] != Vocabulary.MASK) {
        x0[i] = x[pos];
        score[i] = Double.POSITIVE_INFINITY;
        continue;
      }
      int p = jl * l + src + i;
      int tok = best[p];
      float z = stats[3 * p];
      float max = stats[3 * p + 1];
      float lse = stats[3 * p + 2];
      if (tok < 0 || tok >= v || !Float.isFinite(z) || !Float.isFinite(max) || !Float.isFinite(lse)) {
        exact = true;
      }
      x0[i] = tok;
      score[i] = (double) z - max - lse;
    }
    double[] noisy = null;
    int[] order = null;
    int k = (int) Math.floor(n * rate);
    double[] g = t > 0 ? ReferenceDecoding.gumbel(ch.rng[j], n) : null;
    if (t > 0 && !exact) {
      noisy = ReferenceDecoding.noisy(score, ReferenceDecoding.temperature(rate), g);
      order = ReferenceDecoding.sortedOrder(noisy);
      exact = !certain(noisy, order, k);
    }
    if (exact) {
      exactReranks.increment();
      float[] row = new float[l * v];
      logits.get(jl).copyTo(DataBuffers.of(row, false, false));
      int[] xj = new int[l];
      System.arraycopy(x, j * l, xj, 0, l);
      ReferenceDecoding.exactScores(xj, row, 0, src, l, v, decoder, x0, score);
      if (t > 0) {
        noisy = ReferenceDecoding.noisy(score, ReferenceDecoding.temperature(rate), g);
        order = ReferenceDecoding.sortedOrder(noisy);
      }
    }
    if (t > 0) {
      ReferenceDecoding.remask(x0, noisy, order, k);
    }
    System.arraycopy(x0, 0, x, j * l + src, n);
  }

  /**
   * Whether the first {@code k} of {@code order} are the k smallest of any values within {@link #margin} of
   * {@code noisy}: trivially when nothing or every finite (not kept) position is masked, else when the k-th and
   * (k+1)-th smallest are more than {@code 2·margin} apart.
   */
  boolean certain(double[] noisy, int[] order, int k) {
    if (k == 0 || k >= order.length) {
      return true;
    }
    double lo = noisy[order[k - 1]];
    double hi = noisy[order[k]];
    if (lo == Double.POSITIVE_INFINITY || hi == Double.POSITIVE_INFINITY) {
      return true; // every finite position is among the first k, or the boundary is finite vs kept
    }
    return hi - lo > 2 * margin;
  }

  /** Greedy generation of the run of sequences {@code r0 .. r0+n-1} ({@code active}: rows still generating). */
  private void greedy(Chunk ch, boolean[] active, int r0, int n) {
    int[] x = ch.x;
    int[] src = ch.src;
    for (int k = 0; ; k++) {
      boolean needed = false; // once false it stays false: rows only finish, and src + k only grows
      for (int j = r0; j < r0 + n; j++) {
        needed |= active[j] && src[j] + k < l;
      }
      if (!needed) {
        return;
      }
      Session.Runner runner = graph.session().runner().fetch(DecodeHeads.NEXT_TOKEN).fetch(OpNames.LOGITS);
      Result res;
      try (TInt32 tok = tokens(x, r0, n)) {
        res = runner.feed(OpNames.TOKENS, tok).run();
      }
      try (res) {
        int[] next = ints(res.get(0), n);
        for (int j = r0; j < r0 + n; j++) {
          int pos = src[j] + k;
          if (!active[j] || pos >= l) {
            continue;
          }
          int arg = next[(j - r0) * l + pos - 1];
          if (arg < 0) { // a NaN or infinite logit: the reference's scan decides
            float[] row = new float[v];
            ((TFloat32) res.get(1)).get(j - r0, pos - 1).copyTo(DataBuffers.of(row, false, false));
            arg = ReferenceDecoding.argmax(row, 0, v);
          }
          x[j * l + pos] = arg;
          if (arg == Vocabulary.EOS) {
            active[j] = false;
          }
        }
      }
    }
  }

  private static boolean anyOk(Chunk ch, int r0, int n) {
    for (int j = r0; j < r0 + n; j++) {
      if (ch.ok[j]) {
        return true;
      }
    }
    return false;
  }

  /** The token ids of sequences {@code r0 .. r0+n-1} as an int32 [n, L] tensor. */
  private TInt32 tokens(int[] x, int r0, int n) {
    return TInt32.tensorOf(Shape.of(n, l), DataBuffers.of(x, true, false).slice((long) r0 * l, (long) n * l));
  }

  private int[] ints(Tensor t, int n) {
    int[] out = new int[n * l];
    ((TInt32) t).copyTo(DataBuffers.of(out, false, false));
    return out;
  }

  private TFloat32 zeroLatent(int n) {
    return TFloat32.tensorOf(Shape.of(n, l, c.dModel()), DataBuffers.of(new float[n * l * c.dModel()], false, false));
  }
}
