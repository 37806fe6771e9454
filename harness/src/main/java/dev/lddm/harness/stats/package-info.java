/** Statistics for leaderboards and comparisons: Wilson score intervals and the exact McNemar test. */
package dev.lddm.harness.stats;
