/** Throughput measurements run by hand ({@link dev.lddm.model.bench.TrainSpeed}); not unit tests. */
package dev.lddm.model.bench;
