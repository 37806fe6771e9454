package dev.lddm.harness.cli;

import dev.lddm.harness.AtomicFiles;
import dev.lddm.tasks.Example;
import dev.lddm.tasks.Split;
import dev.lddm.tasks.Task;
import dev.lddm.tasks.TaskRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lddm generate --task T --split train|val|test --count N [--seed S] [--out FILE]}: JSON lines in
 * MGDM's format. The same arguments always give the same bytes. Everything is checked (task, split,
 * {@code --count} against the split's {@link Task#size size}, {@code --out}) before anything is written;
 * {@code --out} is written atomically.
 */
@Command(name = "generate", description = "Generate a split as JSON lines.", mixinStandardHelpOptions = true)
public final class GenerateCommand implements Callable<Integer> {
  /** MGDM's generator seed. */
  public static final long DEFAULT_SEED = 4;

  @Spec CommandSpec spec;

  @Option(names = "--task", required = true, description = "Task name (see `lddm tasks`).")
  String task;

  @Option(names = "--split", required = true, description = "train, val or test.")
  String split;

  @Option(names = "--count", required = true, description = "Number of examples: the first N of the split (at most its size, e.g. 100 for game24 test).")
  int count;

  @Option(names = "--seed", defaultValue = "4", description = "Generator seed (default: ${DEFAULT-VALUE}, MGDM's).")
  long seed;

  @Option(names = "--out", description = "Output file (written atomically); stdout when absent.")
  Path out;

  @Override
  public Integer call() throws IOException {
    // Every check first: nothing is written (stdout or --out) unless all of them pass.
    Task<?> t = TaskRegistry.get(task);
    Split s = Split.parse(split);
    if (count < 0) {
      throw new IllegalArgumentException("--count must be >= 0, got " + count);
    }
    int size = t.size(s);
    if (count > size) {
      throw new IllegalArgumentException(
          "--count " + count + " exceeds the " + size + " examples of " + t.name() + " " + s.id());
    }
    if (out != null) {
      AtomicFiles.requireWritableFile("--out", out);
    }
    if (out == null) {
      PrintWriter w = spec.commandLine().getOut();
      writeLines(t, s, w);
      w.flush();
    } else {
      AtomicFiles.write(out, w -> writeLines(t, s, w));
    }
    return 0;
  }

  private void writeLines(Task<?> t, Split s, Writer w) throws IOException {
    try (Stream<Example> examples = t.examples(s, seed).limit(count)) {
      Iterator<Example> it = examples.iterator();
      while (it.hasNext()) {
        w.write(it.next().toJsonLine());
        w.write('\n');
      }
    }
  }
}
