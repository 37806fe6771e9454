/**
 * MGDM's character-level token format: a 31-id vocabulary and the padded
 * {@code input [SEP] output [EOS] [PAD]...} training sequence.
 */
package dev.lddm.tasks.token;
