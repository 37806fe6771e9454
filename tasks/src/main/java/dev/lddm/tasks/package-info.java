/**
 * Puzzle tasks for reasoning benchmarks: the {@link dev.lddm.tasks.Task} contract, the
 * {@link dev.lddm.tasks.TaskRegistry}, puzzles, examples and verdicts. No TensorFlow here.
 */
package dev.lddm.tasks;
