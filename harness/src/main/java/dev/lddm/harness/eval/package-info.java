/** Per-instance predictions ({@code predictions.csv}): writing, reading, scoring and pairing. */
package dev.lddm.harness.eval;
