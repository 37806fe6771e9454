/**
 * Sweeps beyond one process: a suite's cells numbered and keyed, run by shards into one shared output
 * directory (atomic per-cell publication, attempt markers), its status and merged leaderboard, and the
 * Slurm array script or Kubernetes Indexed Job that runs it.
 */
package dev.lddm.harness.sweep;
