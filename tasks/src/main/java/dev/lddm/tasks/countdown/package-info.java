/**
 * The Countdown task: combine the given numbers with {@code + - * /} (each number used exactly once,
 * integer intermediate results) to reach the target.
 *
 * <p>{@link dev.lddm.tasks.countdown.CountdownGenerator} is a byte-exact port of the Stream-of-Search
 * data generator (Gandhi et al. 2024, {@code src/countdown_generate.py}) on a CPython-exact random number
 * generator ({@link dev.lddm.tasks.pyrandom.PyRandom}); with 4 numbers and seed 4 it reproduces MGDM's
 * (Ye et al. 2024) Countdown-4 training and test files.
 */
package dev.lddm.tasks.countdown;
