package dev.lddm.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The arithmetic a model's graph runs in. Part of a model's identity: recorded in its checkpoints'
 * {@code config.json} (absent in checkpoints written before it existed, which means {@link #FP32}).
 *
 * <ul>
 *   <li>{@link #FP32}: everything in float32 (the original graph, bit for bit).
 *   <li>{@link #BF16}: mixed precision. The matrix products (dense layers, the attention batch matmuls and the
 *       tied output head) take bfloat16 operands, as do the steps between two of them that only move or add
 *       (the bias adds, the attention heads' reshapes and transposes). Master weights, AdamW state, the
 *       residual stream, LayerNorm (statistics and output), softmax, the MLP's GELU and the loss stay float32.
 * </ul>
 */
public enum Precision {
  FP32,
  BF16;

  /** The lower-case name used on the command line and in files ({@code fp32}, {@code bf16}). */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a precision case-insensitively.
   *
   * @throws IllegalArgumentException naming the known precisions
   */
  public static Precision parse(String s) {
    for (Precision p : values()) {
      if (p.name().equalsIgnoreCase(s)) {
        return p;
      }
    }
    throw new IllegalArgumentException("Unknown precision '" + s + "'. Known: "
        + Arrays.stream(values()).map(Precision::id).collect(Collectors.joining(", ")));
  }
}
