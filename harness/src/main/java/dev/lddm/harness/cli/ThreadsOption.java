package dev.lddm.harness.cli;

import picocli.CommandLine.Option;

/**
 * The {@code --threads N} option shared by the commands that run TensorFlow: intra-op threads, default 1
 * (bit-reproducible; the CI gate and the committed baselines use it). 0 lets TensorFlow use every core.
 */
final class ThreadsOption {
  @Option(names = "--threads", defaultValue = "1",
      description = "TensorFlow intra-op threads; 0 = all cores (default: ${DEFAULT-VALUE}, reproducible bit for bit).")
  private int threads;

  /** The validated thread count. */
  int get() {
    if (threads < 0) {
      throw new IllegalArgumentException("--threads must be >= 0, got " + threads);
    }
    return threads;
  }
}
