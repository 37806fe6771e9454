/** The {@code lddm} command line and its building blocks: commands, CSV output, atomic files. */
package dev.lddm.harness;
