/**
 * Benchmark suites: a small JSON file lists a matrix (tasks × models × presets × seeds × budget ×
 * decoders); the runner trains and evaluates every cell, atomically and resumably.
 */
package dev.lddm.harness.suite;
