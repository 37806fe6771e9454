package dev.lddm.model.decode;

import dev.lddm.model.Seeds;
import java.util.Objects;

/**
 * Decoding options. AR models use only {@code batch}: greedy decoding ignores steps, decoder, seed and the
 * latent options.
 *
 * @param steps number of decoding steps S (default 20 = MGDM's T); at step s the rate is
 *     {@code t/S} with {@code t = S-1-s}, and the last step unmasks everything
 * @param decoder {@link Decoder#REMASK} (MGDM) or {@link Decoder#MASKED_ONLY} (Loopholing)
 * @param seed seed of the Gumbel noise; example i of the input list uses {@code mix(seed, i)}, so the noise
 *     does not depend on {@code batch}
 * @param batch sequences decoded together (a chunk). Speed only, with one caveat for exact reproduction:
 *     TensorFlow computes the last rows of a forward pass whose row count ({@code size·L}) is not a multiple of
 *     8 differently in the last bits (measured on this project's CPUs), so the last example of a chunk whose
 *     size is not a multiple of 8 can get logits that differ in the last bits from those it gets elsewhere,
 *     which can (rarely) change its prediction. With {@code batch} and the number of inputs multiples of 8 no
 *     chunk has such a tail.
 * @param latent LDDM: carry the latent h between steps (false = ablation "latent off", h = 0 every step);
 *     ignored by MGDM
 * @param latentReset LDDM: reset h to 0 before every K-th step (0 = never)
 */
public record DecodeOptions(int steps, Decoder decoder, long seed, int batch, boolean latent, int latentReset) {
  public static final int DEFAULT_STEPS = 20;
  public static final int DEFAULT_BATCH = 256;

  public DecodeOptions {
    Objects.requireNonNull(decoder, "decoder");
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be >= 1, got " + steps);
    }
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be >= 1, got " + batch);
    }
    if (latentReset < 0) {
      throw new IllegalArgumentException("latentReset must be >= 0 (0 = never), got " + latentReset);
    }
  }

  /** 20 steps, MGDM's {@link Decoder#REMASK}, the default seed, batch 256, latent on, no reset. */
  public static DecodeOptions defaults() {
    return new DecodeOptions(DEFAULT_STEPS, Decoder.REMASK, Seeds.DEFAULT_SEED, DEFAULT_BATCH, true, 0);
  }

  public DecodeOptions withDecoder(Decoder d) {
    return new DecodeOptions(steps, d, seed, batch, latent, latentReset);
  }

  public DecodeOptions withLatent(boolean on) {
    return new DecodeOptions(steps, decoder, seed, batch, on, latentReset);
  }

  public DecodeOptions withLatentReset(int k) {
    return new DecodeOptions(steps, decoder, seed, batch, latent, k);
  }

  public DecodeOptions withSteps(int s) {
    return new DecodeOptions(s, decoder, seed, batch, latent, latentReset);
  }

  public DecodeOptions withBatch(int b) {
    return new DecodeOptions(steps, decoder, seed, b, latent, latentReset);
  }

  public DecodeOptions withSeed(long s) {
    return new DecodeOptions(steps, decoder, s, batch, latent, latentReset);
  }
}
