package dev.lddm.harness.cli;

import picocli.CommandLine.Option;

/**
 * The {@code --threads N} option shared by the commands that run TensorFlow, default {@value #DEFAULT}: both cores
 * of the 2-vCPU machines this project runs on. Training runs its graph's two {@code Towers} (halves of the batch)
 * side by side: N inter-op threads and N/2 intra-op threads (at least 1; {@code Towers.intraOpThreads});
 * decoding runs N groups of sequences side by side, one intra-op thread each (see {@code Evaluation.run}). 1 and 2
 * threads give bit-identical losses, weights and predictions ({@code scripts/bench/threads-identical.sh}: MGDM,
 * LDDM and AR, {@code small}, fp32 and bf16, {@code results/bench/2026-12-07-towers/}; {@code TrainerTest} on
 * {@code micro}; the predictions by {@code FastDecodingTest}), so the default changes speed only. 0 lets
 * TensorFlow use every core (not checked for identity).
 */
final class ThreadsOption {
  /** The default thread count. */
  static final String DEFAULT = "2";

  @Option(names = "--threads", defaultValue = DEFAULT,
      description = "TensorFlow threads (training: the graph's two towers side by side, N across ops and N/2 "
          + "within each; decoding: N groups of problems side by side); 0 = all cores (default: ${DEFAULT-VALUE}; 1 "
          + "and 2 give the same results bit for bit).")
  private int threads;

  /** The validated thread count. */
  int get() {
    if (threads < 0) {
      throw new IllegalArgumentException("--threads must be >= 0, got " + threads);
    }
    return threads;
  }
}
