package dev.lddm.model.train;

import dev.lddm.model.ModelKind;
import dev.lddm.model.Seeds;
import dev.lddm.model.graph.DiffusionLoss;
import dev.lddm.tasks.Example;
import dev.lddm.tasks.token.TokenFormat;
import dev.lddm.tasks.token.Vocabulary;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The training batches as a pure function of {@code (seed, step)}, so that resuming at step k gives the
 * same batches as an uninterrupted run.
 *
 * <p>Order: position {@code p = step·batch + j} reads example {@code perm_e[p mod N]} of epoch
 * {@code e = p / N}, with {@code perm_e} a Fisher-Yates shuffle seeded by {@code mix(seed, ORDER, e)}.
 * Noise (MGDM {@code q_sample}): per step an RNG seeded by {@code mix(seed, NOISE, step)} draws first
 * the LDDM self-conditioning coin, then per sequence {@code t ~ U{0..T-1}} and per target position (every
 * position after {@code [SEP]}, {@code [EOS]} and {@code [PAD]} included) a mask with probability
 * {@code (t+1)/T}.
 *
 * <p>AR ({@link ModelKind#isAutoregressive}): the same order, no random draws at all; tokens and targets are
 * the clean sequence, the loss mask is 1 from the first position after {@code [SEP]} through {@code [EOS]}
 * (input, {@code [SEP]} and trailing {@code [PAD]} carry no loss), time weights are empty and self-conditioning
 * is off.
 */
final class Batches {
  private static final long ORDER = 0x0DE5L;
  private static final long NOISE = 0x9015EL;

  /**
   * One step's feeds. Arrays are row-major [B, L] (timeWeight [B]; empty for AR). {@code masked} counts the
   * loss positions.
   */
  record Batch(int[] tokens, int[] targets, float[] lossMask, float[] timeWeight, boolean selfCond, int masked) {}

  private final int[][] sequences;
  private final int[] sourceLength;
  private final int len;
  private final int batch;
  private final long seed;
  private final double selfCondRate;
  private final boolean autoregressive;
  private long cachedEpoch = -1;
  private int[] cachedPerm;

  /** Diffusion (MGDM/LDDM) batches. */
  Batches(List<Example> data, int seqLen, int batch, long seed, double selfCondRate) {
    this(data, seqLen, batch, seed, ModelKind.MGDM, selfCondRate);
  }

  /** Batches for a model kind (AR: next-token batches, see the class comment). */
  Batches(List<Example> data, int seqLen, int batch, long seed, ModelKind kind, double selfCondRate) {
    if (data.isEmpty()) {
      throw new IllegalArgumentException("training data is empty");
    }
    TokenFormat format = new TokenFormat(seqLen);
    this.sequences = new int[data.size()][];
    this.sourceLength = new int[data.size()];
    for (int i = 0; i < data.size(); i++) {
      Example e = data.get(i);
      sequences[i] = format.encode(e.input(), e.output());
      sourceLength[i] = format.sourceLength(e.input());
    }
    this.len = seqLen;
    this.batch = batch;
    this.seed = seed;
    this.selfCondRate = selfCondRate;
    this.autoregressive = kind.isAutoregressive();
  }

  /** A fingerprint of the encoded data (recorded in checkpoints, checked on resume). */
  long fingerprint() {
    long h = Seeds.mix(sequences.length, len);
    for (int i = 0; i < sequences.length; i++) {
      long row = sourceLength[i];
      for (int id : sequences[i]) {
        row = row * 31 + id;
      }
      h = Seeds.mix(h, row);
    }
    return h;
  }

  int size() {
    return sequences.length;
  }

  Batch make(long step) {
    if (autoregressive) {
      return makeNextToken(step);
    }
    int n = sequences.length;
    int[] tokens = new int[batch * len];
    int[] targets = new int[batch * len];
    float[] lossMask = new float[batch * len];
    float[] timeWeight = new float[batch];
    SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, NOISE, step));
    boolean selfCond = rng.nextDouble() < selfCondRate;
    int masked = 0;
    for (int j = 0; j < batch; j++) {
      long p = step * batch + j;
      int[] seq = sequences[perm(p / n)[(int) (p % n)]];
      int src = sourceLength[perm(p / n)[(int) (p % n)]];
      int t = rng.nextInt(DiffusionLoss.T);
      double rate = (t + 1) / (double) DiffusionLoss.T;
      timeWeight[j] = DiffusionLoss.T - t;
      for (int i = 0; i < len; i++) {
        int k = j * len + i;
        targets[k] = seq[i];
        tokens[k] = seq[i];
        if (i >= src && rng.nextDouble() < rate) {
          tokens[k] = Vocabulary.MASK;
          lossMask[k] = 1f;
          masked++;
        }
      }
    }
    return new Batch(tokens, targets, lossMask, timeWeight, selfCond, masked);
  }

  private Batch makeNextToken(long step) {
    int n = sequences.length;
    int[] tokens = new int[batch * len];
    float[] lossMask = new float[batch * len];
    int targets = 0;
    for (int j = 0; j < batch; j++) {
      long p = step * batch + j;
      int idx = perm(p / n)[(int) (p % n)];
      int[] seq = sequences[idx];
      System.arraycopy(seq, 0, tokens, j * len, len);
      for (int i = sourceLength[idx]; i < len; i++) {
        lossMask[j * len + i] = 1f;
        targets++;
        if (seq[i] == Vocabulary.EOS) {
          break;
        }
      }
    }
    return new Batch(tokens, tokens.clone(), lossMask, new float[0], false, targets);
  }

  private int[] perm(long epoch) {
    if (epoch != cachedEpoch) {
      int n = sequences.length;
      int[] perm = new int[n];
      for (int i = 0; i < n; i++) {
        perm[i] = i;
      }
      SplittableRandom r = new SplittableRandom(Seeds.mix(seed, ORDER, epoch));
      for (int i = n - 1; i > 0; i--) {
        int k = r.nextInt(i + 1);
        int tmp = perm[i];
        perm[i] = perm[k];
        perm[k] = tmp;
      }
      cachedPerm = perm;
      cachedEpoch = epoch;
    }
    return cachedPerm;
  }
}
