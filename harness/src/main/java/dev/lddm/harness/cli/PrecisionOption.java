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
    for (Precision p : Precision.values()) {
      if (p.id().equalsIgnoreCase(value)) {
        return p;
      }
    }
    throw new IllegalArgumentException("--precision must be one of: "
        + Arrays.stream(Precision.values()).map(Precision::id).collect(Collectors.joining(", ")) + "; got '" + value
        + "'");
  }
}
