package dev.lddm.model.decode;

import dev.lddm.model.ModelConfig;
import dev.lddm.model.graph.ModelGraph;
import dev.lddm.model.graph.OpNames;
import dev.lddm.model.graph.Tensors;
import dev.lddm.tasks.token.Vocabulary;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;

/**
 * The reference decoder (the algorithm of {@link Sampler}'s Javadoc, as first implemented): one
 * {@code Session.run} per chunk and step that copies the full logits [B, L, V] (and the LDDM latent) into Java,
 * and the log-softmax, argmax and Gumbel-noised ranking in Java doubles. Used when an observer needs the
 * distributions; {@link FastDecoding} must give the same sequences and is tested against this class.
 */
final class ReferenceDecoding {
  private ReferenceDecoding() {}

  /** One forward pass: logits [B·L·V] and, for LDDM, the latent [B·L·d] (index 1). */
  static float[][] forward(ModelGraph graph, int[] tokens, int b, float[] latent) {
    ModelConfig c = graph.config();
    int l = c.seqLen();
    Session.Runner runner = graph.session().runner();
    try (Tensor tok = Tensors.ints(tokens, b, l);
         Tensor h = c.kind().hasLatent() ? Tensors.floats(latent, b, l, c.dModel()) : null) {
      runner.feed(OpNames.TOKENS, tok).fetch(OpNames.LOGITS);
      if (h != null) {
        runner.feed(OpNames.LATENT_IN, h).fetch(OpNames.LATENT_OUT);
      }
      try (Result r = runner.run()) {
        float[] logits = Tensors.read(r.get(0));
        return h == null ? new float[][] {logits, null} : new float[][] {logits, Tensors.read(r.get(1))};
      }
    }
  }

  /** Decodes one chunk in place ({@code observer} may be {@code null}). */
  static List<int[]> decodeChunk(ModelGraph graph, Chunk ch, DecodeOptions opts, DecodeObserver observer) {
    ModelConfig c = graph.config();
    if (c.kind().isAutoregressive()) {
      return greedy(graph, ch, observer);
    }
    int l = c.seqLen();
    int v = c.vocab();
    int b = ch.b;
    int[] x = ch.x;
    boolean lddm = c.kind().hasLatent();
    float[] zeros = lddm ? new float[b * l * c.dModel()] : null;
    float[] h = zeros;
    int steps = opts.steps();
    for (int s = 0; s < steps; s++) {
      int t = steps - 1 - s;
      if (lddm && (!opts.latent() || (opts.latentReset() > 0 && s > 0 && s % opts.latentReset() == 0))) {
        h = zeros;
      }
      float[][] res = forward(graph, x, b, h);
      float[] logits = res[0];
      if (lddm && opts.latent()) {
        h = res[1];
      }
      double rate = t / (double) steps;
      for (int j = 0; j < b; j++) {
        if (!ch.ok[j]) {
          continue;
        }
        if (observer != null) {
          observer.onStep(s, ch.offset + j, Arrays.copyOfRange(x, j * l, (j + 1) * l), ch.src[j],
              probs(logits, j, ch.src[j], l, v));
        }
        update(x, logits, j, ch.src[j], l, v, t, rate, opts.decoder(), ch.rng[j]);
      }
    }
    return ch.rows();
  }

  /**
   * AR greedy decoding of one chunk, in place (the target positions are set to {@code [PAD]} first). Generation
   * step k writes position {@code src[j] + k} of every unfinished row.
   */
  private static List<int[]> greedy(ModelGraph graph, Chunk ch, DecodeObserver observer) {
    ModelConfig c = graph.config();
    int l = c.seqLen();
    int v = c.vocab();
    int b = ch.b;
    int[] x = ch.x;
    int[] src = ch.src;
    boolean[] active = ch.ok.clone();
    ch.padTargets();
    for (int k = 0; ; k++) {
      boolean any = false;
      for (int j = 0; j < b; j++) {
        any |= active[j] && src[j] + k < l;
      }
      if (!any) {
        break;
      }
      float[] logits = forward(graph, x, b, null)[0];
      for (int j = 0; j < b; j++) {
        int pos = src[j] + k;
        if (!active[j] || pos >= l) {
          continue;
        }
        int base = (j * l + pos - 1) * v;
        if (observer != null) {
          observer.onStep(k, ch.offset + j, Arrays.copyOfRange(x, j * l, (j + 1) * l), src[j],
              new float[][] {softmax(logits, base, v)});
        }
        int arg = argmax(logits, base, v);
        x[j * l + pos] = arg;
        if (arg == Vocabulary.EOS) {
          active[j] = false;
        }
      }
    }
    return ch.rows();
  }

  /** The first index of the largest of {@code logits[base .. base+v)} (a left-to-right scan with {@code >}). */
  static int argmax(float[] logits, int base, int v) {
    int arg = 0;
    for (int t = 1; t < v; t++) {
      if (logits[base + t] > logits[base + arg]) {
        arg = t;
      }
    }
    return arg;
  }

  private static float[] softmax(float[] logits, int base, int v) {
    double max = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < v; k++) {
      max = Math.max(max, logits[base + k]);
    }
    double sum = 0;
    for (int k = 0; k < v; k++) {
      sum += Math.exp(logits[base + k] - max);
    }
    float[] p = new float[v];
    for (int k = 0; k < v; k++) {
      p[k] = (float) (Math.exp(logits[base + k] - max) / sum);
    }
    return p;
  }

  /** One decoder update of example j, in place. */
  static void update(int[] x, float[] logits, int j, int src, int l, int v, int t, double rate, Decoder decoder,
                     SplittableRandom rng) {
    int n = l - src;
    int[] x0 = new int[n];
    double[] score = new double[n];
    exactScores(x, logits, j, src, l, v, decoder, x0, score);
    if (t > 0) {
      double[] noisy = noisy(score, temperature(rate), gumbel(rng, n));
      remask(x0, noisy, sortedOrder(noisy), (int) Math.floor(n * rate));
    }
    System.arraycopy(x0, 0, x, j * l + src, n);
  }

  /**
   * Per target position i of example j: {@code x0[i]} the argmax token (never {@code [MASK]}; lowest id on ties)
   * and {@code score[i]} its log-probability in doubles; with {@link Decoder#MASKED_ONLY} an already decoded
   * position keeps its token with score {@code +inf}.
   */
  static void exactScores(int[] x, float[] logits, int j, int src, int l, int v, Decoder decoder, int[] x0,
                          double[] score) {
    int n = l - src;
    for (int i = 0; i < n; i++) {
      int pos = j * l + src + i;
      boolean keep = decoder == Decoder.MASKED_ONLY && x[pos] != Vocabulary.MASK;
      int base = pos * v;
      double max = Double.NEGATIVE_INFINITY;
      int arg = -1;
      double argLogit = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < v; k++) {
        float z = logits[base + k];
        max = Math.max(max, z);
        if (k != Vocabulary.MASK && z > argLogit) {
          argLogit = z;
          arg = k;
        }
      }
      double sum = 0;
      for (int k = 0; k < v; k++) {
        sum += Math.exp(logits[base + k] - max);
      }
      x0[i] = keep ? x[pos] : arg;
      score[i] = keep ? Double.POSITIVE_INFINITY : argLogit - max - Math.log(sum);
    }
  }

  /** MGDM's Gumbel temperature at rate {@code t/S}: {@code 0.5·rate} ({@code stochastic0.5}). */
  static double temperature(double rate) {
    return 0.5 * rate;
  }

  /** MGDM's Gumbel noise {@code -log(-log(u + 1e-8) + 1e-8)}, one draw per target position in order. */
  static double[] gumbel(SplittableRandom rng, int n) {
    double[] g = new double[n];
    for (int i = 0; i < n; i++) {
      double u = rng.nextDouble();
      g[i] = -Math.log(-Math.log(u + 1e-8) + 1e-8);
    }
    return g;
  }

  /** {@code score + temp·g}. */
  static double[] noisy(double[] score, double temp, double[] g) {
    double[] noisy = new double[score.length];
    for (int i = 0; i < score.length; i++) {
      noisy[i] = score[i] + temp * g[i];
    }
    return noisy;
  }

  /** Positions in ascending order of {@code noisy}, ties in position order (a stable sort). */
  static int[] sortedOrder(double[] noisy) {
    Integer[] order = new Integer[noisy.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, bb) -> Double.compare(noisy[a], noisy[bb]));
    int[] out = new int[order.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = order[i];
    }
    return out;
  }

  /** Masks the {@code k} first positions of {@code order} unless their noisy score is {@code +inf} (kept). */
  static void remask(int[] x0, double[] noisy, int[] order, int k) {
    for (int r = 0; r < k; r++) {
      if (noisy[order[r]] != Double.POSITIVE_INFINITY) {
        x0[order[r]] = Vocabulary.MASK;
      }
    }
  }

  private static float[][] probs(float[] logits, int j, int src, int l, int v) {
    float[][] p = new float[l - src][v];
    for (int i = src; i < l; i++) {
      int base = (j * l + i) * v;
      double max = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < v; k++) {
        max = Math.max(max, logits[base + k]);
      }
      double sum = 0;
      for (int k = 0; k < v; k++) {
        sum += Math.exp(logits[base + k] - max);
      }
      for (int k = 0; k < v; k++) {
        p[i - src][k] = (float) (Math.exp(logits[base + k] - max) / sum);
      }
    }
    return p;
  }
}
