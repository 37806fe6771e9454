package dev.lddm.harness.cli;

import dev.lddm.tasks.Task;
import dev.lddm.tasks.TaskRegistry;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code lddm tasks}: one line per registered task. */
@Command(name = "tasks", description = "List the registered tasks.", mixinStandardHelpOptions = true)
public final class TasksCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    for (String name : TaskRegistry.all().keySet()) {
      Task task = TaskRegistry.get(name);
      out.printf("%-12s %s%n", name, task.description());
    }
    return 0;
  }
}
