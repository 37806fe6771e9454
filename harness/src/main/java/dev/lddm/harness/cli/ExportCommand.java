package dev.lddm.harness.cli;

import dev.lddm.harness.UserDataException;
import dev.lddm.harness.run.RunInfo;
import dev.lddm.model.decode.Sampler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lddm export --run DIR --out DIR2}: the latest checkpoint of a run as a new run directory holding only
 * the model weights (no optimizer state: a third of the size), which {@code lddm eval --run DIR2} evaluates
 * exactly as it would the source. The CI gate commits such exports as its golden models.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Copy a run's latest checkpoint without optimizer state (for evaluation only).")
public final class ExportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--run", required = true, description = "Run directory (from `lddm train`).")
  Path run;

  @Option(names = "--out", required = true, description = "New run directory to write (must not exist or be empty).")
  Path out;

  @Override
  public Integer call() throws IOException {
    if (Files.exists(out) && !isEmptyDirectory(out)) {
      throw new IllegalArgumentException("--out " + out + " exists and is not an empty directory; give a new path");
    }
    if (!Files.isDirectory(run)) {
      throw new UserDataException(run + ": no such run directory");
    }
    try (Sampler sampler = Sampler.load(run)) {
      Path written = sampler.exportTo(out);
      RunInfo info = RunInfo.read(run);
      if (info != null) {
        info.write(out);
      }
      spec.commandLine().getOut().println("exported " + sampler.checkpoint() + " to " + written);
    }
    return 0;
  }

  private static boolean isEmptyDirectory(Path p) throws IOException {
    if (!Files.isDirectory(p)) {
      return false;
    }
    try (Stream<Path> s = Files.list(p)) {
      return s.findAny().isEmpty();
    }
  }
}
