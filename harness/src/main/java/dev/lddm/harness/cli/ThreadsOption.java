package dev.lddm.harness.cli;

import picocli.CommandLine.Option;

/**
 * The {@code --threads N} option shared by the commands that run TensorFlow, default {@value #DEFAULT}: both cores
 * of the 2-vCPU machines this project runs on. Training uses N intra-op and N inter-op threads; decoding runs N
 * groups of sequences side by side, one intra-op thread each (see {@code Evaluation.run}). 1 and 2 threads give
 * bit-identical losses, weights and predictions ({@code scripts/bench/threads-identical.sh}: MGDM, LDDM and AR,
 * 300 {@code small} steps in fp32 and bf16 with one inter-op thread, 150 steps in fp32 with two; the predictions
 * by {@code FastDecodingTest}), so the default changes speed only. 0 lets TensorFlow use every
 * core (not checked for identity).
 */
final class ThreadsOption {
  /** The default intra-op thread count. */
  static final String DEFAULT = "2";

  @Option(names = "--threads", defaultValue = DEFAULT,
      description = "TensorFlow threads (training: within and across ops; decoding: N groups of problems side by "
          + "side); 0 = all cores (default: ${DEFAULT-VALUE}; 1 and 2 give the same "
          + "results bit for bit).")
  private int threads;

  /** The validated thread count. */
  int get() {
    if (threads < 0) {
      throw new IllegalArgumentException("--threads must be >= 0, got " + threads);
    }
    return threads;
  }
}
