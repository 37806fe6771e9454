/**
 * Training and evaluation as the harness runs them: data from the task registry, models from the model
 * module, verdicts from the tasks verifier, files written atomically. Shared by the CLI and suites.
 */
package dev.lddm.harness.run;
