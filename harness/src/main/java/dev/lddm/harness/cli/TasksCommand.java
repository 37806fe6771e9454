package dev.lddm.harness.cli;

import dev.lddm.tasks.Task;
import dev.lddm.tasks.TaskRegistry;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code lddm tasks}: one line per registered task, name and description, sorted by name; a plug-in task
 * (found on the class path, see {@link TaskRegistry}) ends with {@code [plug-in: <its jar>]}.
 */
@Command(name = "tasks", description = "List the registered tasks.", mixinStandardHelpOptions = true)
public final class TasksCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    TaskRegistry registry = TaskRegistry.standard();
    for (String name : registry.names()) {
      Task<?> task = registry.task(name);
      out.printf("%-12s %s%s%n", name, task.description(),
          registry.pluginOrigin(name).map(jar -> " [plug-in: " + jar + "]").orElse(""));
    }
    return 0;
  }
}
