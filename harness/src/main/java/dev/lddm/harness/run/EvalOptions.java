package dev.lddm.harness.run;

import dev.lddm.model.Precision;
import dev.lddm.model.decode.DecodeOptions;
import dev.lddm.model.decode.Decoder;
import java.util.Objects;

/**
 * What {@code lddm eval} evaluates.
 *
 * @param task evaluation task; {@code null} = the task the run was trained on
 * @param split split to evaluate
 * @param count first N instances of the split (0 = all)
 * @param decode decoder settings (steps, decoder, seed, batch, latent ablations)
 * @param threads TensorFlow intra-op threads
 * @param precision the precision to decode in when it is not the one the model was trained in; {@code null} =
 *     the model's own (the default; {@link Evaluation} also stores an explicit value equal to the model's as
 *     {@code null})
 * @param checkpointStep the checkpoint to evaluate, by its training step; {@code null} = the newest intact one
 */
public record EvalOptions(String task, String split, int count, DecodeOptions decode, int threads,
                          Precision precision, Long checkpointStep) {
  public EvalOptions {
    Objects.requireNonNull(split, "split");
    Objects.requireNonNull(decode, "decode");
    if (count < 0) {
      throw new IllegalArgumentException("--count must be >= 0, got " + count);
    }
    if (checkpointStep != null && checkpointStep < 1) {
      throw new IllegalArgumentException("checkpoint step must be >= 1, got " + checkpointStep);
    }
  }

  /** Options for the newest checkpoint. */
  public EvalOptions(String task, String split, int count, DecodeOptions decode, int threads, Precision precision) {
    this(task, split, count, decode, threads, precision, null);
  }

  /** Options that decode in the model's own precision. */
  public EvalOptions(String task, String split, int count, DecodeOptions decode, int threads) {
    this(task, split, count, decode, threads, null);
  }

  /** These options with another precision override ({@code null} = the model's own). */
  public EvalOptions withPrecision(Precision p) {
    return new EvalOptions(task, split, count, decode, threads, p, checkpointStep);
  }

  /** These options for the checkpoint of training step {@code step} ({@code null} = the newest). */
  public EvalOptions atCheckpoint(Long step) {
    return new EvalOptions(task, split, count, decode, threads, precision, step);
  }

  /** The default decoder: the Loopholing paper's {@code masked-only} top-k decoding with T = 20. */
  public static final Decoder DEFAULT_DECODER = Decoder.MASKED_ONLY;

  /**
   * A short name for the latent setting: {@code -} (no ablation), {@code latent-off} or
   * {@code latent-reset-K}.
   */
  public String variant() {
    if (!decode.latent()) {
      return "latent-off";
    }
    return decode.latentReset() > 0 ? "latent-reset-" + decode.latentReset() : "-";
  }

  /**
   * The eval directory name: {@code <task>-<split>} for the default decoding, with the decoder, steps,
   * latent variant and a precision override appended otherwise, so ablations never overwrite each other; an
   * explicit checkpoint appends its name ({@code -step-0001000}).
   */
  public String dirName(String evalTask) {
    StringBuilder b = new StringBuilder(evalTask).append('-').append(split);
    if (decode.decoder() != DEFAULT_DECODER || decode.steps() != DecodeOptions.DEFAULT_STEPS) {
      b.append('-').append(decode.decoder().id()).append("-T").append(decode.steps());
    }
    if (!variant().equals("-")) {
      b.append('-').append(variant());
    }
    if (precision != null) {
      b.append('-').append(precision.id());
    }
    if (checkpointStep != null) {
      b.append('-').append(dev.lddm.model.train.Checkpoints.name(checkpointStep));
    }
    return b.toString();
  }
}
