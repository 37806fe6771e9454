package dev.lddm.model.decode;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Which positions the top-k confidence decoder may re-mask. */
public enum Decoder {
  /**
   * MGDM's original ({@code topk_decoding}, HKUNLP/diffusion-vs-ar {@code trainer.py}): at every step all
   * target positions take the new argmax and the k least confident of them are re-masked, so tokens decoded
   * earlier can be changed or re-masked.
   */
  REMASK,
  /**
   * The Loopholing paper's variant: a decoded token stays; only still-masked positions get predictions and
   * the k least confident of them stay masked.
   */
  MASKED_ONLY;

  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * Parses {@code remask} or {@code masked-only} (case-insensitive, {@code _} or {@code -}).
   *
   * @throws IllegalArgumentException naming the known decoders
   */
  public static Decoder parse(String s) {
    for (Decoder d : values()) {
      if (d.id().equalsIgnoreCase(s.replace('_', '-'))) {
        return d;
      }
    }
    throw new IllegalArgumentException("Unknown decoder '" + s + "'. Known: "
        + Arrays.stream(values()).map(Decoder::id).collect(Collectors.joining(", ")));
  }
}
