/** The picocli subcommands of {@code lddm}; each is a thin shell over the tasks and model modules. */
package dev.lddm.harness.cli;
