package dev.lddm.model;

import dev.lddm.tasks.token.Vocabulary;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The architecture of one model: a GPT-2 style transformer over MGDM's 31-id vocabulary (bidirectional for
 * MGDM/LDDM, causal for AR; the same shapes and parameters otherwise).
 *
 * <p>Presets ({@link #preset}): {@code micro} (2 layers, d=64, 4 heads; for tests), {@code small}
 * (4 layers, d=128, 4 heads), {@code tiny} (MGDM's "6M" model_config_tiny: 3 layers, d=384, 12 heads) and
 * {@code base} (MGDM's "85M" model_config: 12 layers, d=768, 12 heads). The feed-forward width is always
 * {@code 4·d} as in GPT-2.
 *
 * @param kind model family
 * @param preset preset name this config came from (recorded in checkpoints)
 * @param layers number of transformer blocks
 * @param dModel hidden width d
 * @param heads attention heads (must divide {@code dModel})
 * @param ffDim feed-forward width (4·d)
 * @param seqLen sequence length L (the task's padded length); also the number of learned positions
 * @param vocab vocabulary size (31)
 * @param selfCondRate LDDM self-conditioning probability p per batch (paper default 0.9; unused by MGDM)
 * @param precision the graph's arithmetic ({@link Precision}); {@code null} (a checkpoint written before the
 *     field existed) means {@link Precision#FP32}
 */
public record ModelConfig(ModelKind kind, String preset, int layers, int dModel, int heads, int ffDim,
                          int seqLen, int vocab, double selfCondRate, Precision precision) {

  /** Default LDDM self-conditioning rate (Loopholing paper, Section 6.3: 0.5-0.9 best). */
  public static final double DEFAULT_SELF_COND_RATE = 0.9;

  private record Shape(int layers, int dModel, int heads, double lr) {}

  /**
   * The presets with their default peak learning rates: {@code tiny} 1e-3 (MGDM's README: "a slightly larger
   * learning rate (1e-3) for the tiny model"), {@code base} 3e-4 (MGDM's Countdown recipe), {@code small} 1e-3,
   * chosen on the val split by the recipe sweep (results/recipe-sweep: MGDM on Countdown-3, batch 64, 256,000
   * sequences: 1e-3 3.6% > 2e-3 2.0% (paired p = 0.02) > 3e-4 1.3% (p = 0.0006) of 1,000 val problems);
   * {@code micro} (tests only, not swept) keeps MGDM's 3e-4.
   */
  private static final Map<String, Shape> PRESETS = new TreeMap<>(Map.of(
      "micro", new Shape(2, 64, 4, 3e-4),
      "small", new Shape(4, 128, 4, 1e-3),
      "tiny", new Shape(3, 384, 12, 1e-3),
      "base", new Shape(12, 768, 12, 3e-4)));

  public ModelConfig {
    Objects.requireNonNull(kind, "kind");
    precision = precision == null ? Precision.FP32 : precision;
    Objects.requireNonNull(preset, "preset");
    if (layers < 1) {
      throw new IllegalArgumentException("layers must be >= 1, got " + layers);
    }
    if (dModel < 1 || heads < 1 || dModel % heads != 0) {
      throw new IllegalArgumentException("dModel must be a positive multiple of heads, got dModel="
          + dModel + " heads=" + heads);
    }
    if (ffDim < 1) {
      throw new IllegalArgumentException("ffDim must be >= 1, got " + ffDim);
    }
    if (seqLen < 3) {
      throw new IllegalArgumentException("seqLen must be >= 3, got " + seqLen);
    }
    if (vocab < Vocabulary.SIZE) {
      throw new IllegalArgumentException("vocab must be >= " + Vocabulary.SIZE + ", got " + vocab);
    }
    if (!(selfCondRate >= 0 && selfCondRate <= 1)) {
      throw new IllegalArgumentException("selfCondRate must be in [0, 1], got " + selfCondRate);
    }
  }

  /** A float32 config (the precision every model had before {@link Precision} existed). */
  public ModelConfig(ModelKind kind, String preset, int layers, int dModel, int heads, int ffDim, int seqLen,
                     int vocab, double selfCondRate) {
    this(kind, preset, layers, dModel, heads, ffDim, seqLen, vocab, selfCondRate, Precision.FP32);
  }

  /** This config with another precision. */
  public ModelConfig withPrecision(Precision p) {
    return new ModelConfig(kind, preset, layers, dModel, heads, ffDim, seqLen, vocab, selfCondRate,
        Objects.requireNonNull(p, "precision"));
  }

  /**
   * The config of a named preset with the default self-conditioning rate.
   *
   * @throws IllegalArgumentException for an unknown preset, listing the known ones
   */
  public static ModelConfig preset(ModelKind kind, String preset, int seqLen) {
    return preset(kind, preset, seqLen, DEFAULT_SELF_COND_RATE);
  }

  /**
   * The float32 config of a named preset.
   *
   * @throws IllegalArgumentException for an unknown preset, listing the known ones
   */
  public static ModelConfig preset(ModelKind kind, String preset, int seqLen, double selfCondRate) {
    Shape s = PRESETS.get(preset);
    if (s == null) {
      throw new IllegalArgumentException("Unknown preset '" + preset + "'. Known: "
          + String.join(", ", PRESETS.keySet()));
    }
    return new ModelConfig(kind, preset, s.layers(), s.dModel(), s.heads(), 4 * s.dModel(), seqLen,
        Vocabulary.SIZE, selfCondRate);
  }

  /**
   * The default peak learning rate of a preset (see {@link #PRESETS}).
   *
   * @throws IllegalArgumentException for an unknown preset, listing the known ones
   */
  public static double defaultLearningRate(String preset) {
    Shape s = PRESETS.get(preset);
    if (s == null) {
      throw new IllegalArgumentException("Unknown preset '" + preset + "'. Known: "
          + String.join(", ", PRESETS.keySet()));
    }
    return s.lr();
  }

  /** The known preset names, sorted. */
  public static java.util.Set<String> presets() {
    return java.util.Collections.unmodifiableSet(PRESETS.keySet());
  }

  /** Width of one attention head. */
  public int headDim() {
    return dModel / heads;
  }

  /**
   * Number of trainable parameters: token and position embeddings (output head tied to the token
   * embedding), per block two LayerNorms, the QKV and output projections and the MLP (all with biases, as
   * in GPT-2), the final LayerNorm and, for LDDM, the latent LayerNorm {@code LN_h}.
   */
  public long parameterCount() {
    long d = dModel;
    long perBlock = 2 * d + (d * 3 * d + 3 * d) + (d * d + d) + 2 * d + (d * ffDim + ffDim) + (ffDim * d + d);
    long n = (long) vocab * d + (long) seqLen * d + layers * perBlock + 2 * d;
    if (kind.hasLatent()) {
      n += 2 * d;
    }
    return n;
  }
}
