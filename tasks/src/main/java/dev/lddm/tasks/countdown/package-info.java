/**
 * Countdown with 3, 4 or 5 numbers (MGDM's CD3/CD4/CD5): the task and its data generator. Intermediates are
 * non-negative integers.
 */
package dev.lddm.tasks.countdown;
