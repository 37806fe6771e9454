/**
 * Per-step decoding diagnostics (the Loopholing paper's Section 6 measures): token-prediction entropy,
 * temporal KL, idle steps and oscillations.
 */
package dev.lddm.harness.diag;
