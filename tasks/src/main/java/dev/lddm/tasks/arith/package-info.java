/**
 * Exact arithmetic for the puzzles: {@link dev.lddm.tasks.arith.Rational} numbers, a non-recursive parser
 * for step traces and infix answers, the strict {@link dev.lddm.tasks.arith.Verifier} (plus MGDM's lenient
 * metric) and the exhaustive {@link dev.lddm.tasks.arith.Solver}. No floating point anywhere.
 */
package dev.lddm.tasks.arith;
