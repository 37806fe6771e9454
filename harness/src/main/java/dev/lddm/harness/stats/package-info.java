/**
 * Statistics for leaderboards and comparisons: Wilson score intervals, the exact McNemar test and
 * Newcombe's interval for a paired difference of proportions.
 */
package dev.lddm.harness.stats;
