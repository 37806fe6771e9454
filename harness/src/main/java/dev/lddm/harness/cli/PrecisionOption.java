package dev.lddm.harness.cli;

import dev.lddm.model.Precision;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Parses the {@code --precision} value of {@code train} and {@code eval}. */
final class PrecisionOption {
  private PrecisionOption() {}

  /**
   * The precision named by {@code value} ({@code fp32} or {@code bf16}, any case).
   *
   * @throws IllegalArgumentException {@code --precision must be one of: fp32, bf16; got 'x'}
   */
  static Precision parse(String value) {
    return parse(value, false, null);
  }

  /**
   * As {@link #parse(String)}, and with {@code auto} allowed (train): {@code auto} returns {@code measured}'s
   * choice, asked only then.
   */
  static Precision parse(String value, boolean autoAllowed, java.util.function.Supplier<Precision> measured) {
    for (Precision p : Precision.values()) {
      if (p.id().equalsIgnoreCase(value)) {
        return p;
      }
    }
    if (autoAllowed && "auto".equalsIgnoreCase(value)) {
      return measured.get();
    }
    throw new IllegalArgumentException("--precision must be one of: "
        + Arrays.stream(Precision.values()).map(Precision::id).collect(Collectors.joining(", "))
        + (autoAllowed ? ", auto" : "") + "; got '" + value + "'");
  }
}
