package dev.lddm.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The model families the harness trains and decodes.
 *
 * <ul>
 *   <li>{@link #MGDM}: the Multi-Granularity Diffusion Model of Ye et al. 2024, "Beyond Autoregression"
 *       (HKUNLP/diffusion-vs-ar): a bidirectional GPT-2 absorbing-state (mask) diffusion model.
 *   <li>{@link #LDDM}: the same backbone with the Loopholing latent path of Jo et al. 2025 (arXiv 2510.19304,
 *       ahn-ml/lddm): {@code e_t = E(z_t) + LN_h(h_t)}, trained with self-conditioning.
 *   <li>{@link #AR}: the autoregressive baseline: the same GPT-2 backbone with its causal mask, trained with
 *       next-token cross-entropy on the output part of {@code input [SEP] output [EOS]} and decoded greedily
 *       left to right.
 * </ul>
 */
public enum ModelKind {
  MGDM,
  LDDM,
  AR;

  /** Whether the model carries the deterministic latent {@code h} between decoding steps. */
  public boolean hasLatent() {
    return this == LDDM;
  }

  /**
   * Whether the model is a left-to-right causal language model (AR): causal attention mask, unshifted
   * logits (position i predicts token i+1), next-token loss, greedy decoding. False for the diffusion kinds.
   */
  public boolean isAutoregressive() {
    return this == AR;
  }

  /** The lower-case name used on the command line and in files. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a kind case-insensitively ({@code mgdm}, {@code lddm}, {@code ar}).
   *
   * @throws IllegalArgumentException naming the known kinds
   */
  public static ModelKind parse(String s) {
    for (ModelKind k : values()) {
      if (k.name().equalsIgnoreCase(s)) {
        return k;
      }
    }
    throw new IllegalArgumentException("Unknown model kind '" + s + "'. Known: "
        + Arrays.stream(values()).map(ModelKind::id).collect(Collectors.joining(", ")));
  }
}
