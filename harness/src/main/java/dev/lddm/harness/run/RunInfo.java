package dev.lddm.harness.run;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import dev.lddm.harness.AtomicFiles;
import dev.lddm.harness.UserDataException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code runDir/run.json}: the harness-side facts of a training run that the model's checkpoint does
 * not hold (the data generator's seed and size), so {@code eval} draws its instances from the same
 * stream the model was trained on.
 */
public record RunInfo(String task, long dataSeed, int trainSize) {
  public static final String FILE = "run.json";
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

  public void write(Path runDir) {
    AtomicFiles.writeString(runDir.resolve(FILE), GSON.toJson(this) + "\n");
  }

  /** Reads the run's info, or {@code null} for a run made without the harness. */
  public static RunInfo read(Path runDir) {
    Path f = runDir.resolve(FILE);
    if (!Files.isRegularFile(f)) {
      return null;
    }
    try {
      return GSON.fromJson(Files.readString(f), RunInfo.class);
    } catch (IOException | RuntimeException e) {
      throw new UserDataException(f + " is corrupt: " + e.getMessage(), e);
    }
  }
}
