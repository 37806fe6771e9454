package dev.lddm.harness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lddm export}: a weights-only copy of a run decodes to the same bytes and is smaller. */
class ExportCommandTest {
  @Test
  void exportDecodesLikeTheSourceAndDropsTheOptimizerState(@TempDir Path tmp) throws IOException {
    Path run = tmp.resolve("run");
    Path exported = tmp.resolve("exported");
    CliTest.Run train = CliTest.run("", "train", "--task", "countdown3", "--model", "lddm", "--preset", "micro",
        "--steps", "6", "--batch", "8", "--train-size", "50", "--checkpoint-every", "0", "--out", run.toString());
    assertEquals(0, train.code(), train.err());
    CliTest.Run export = CliTest.run("", "export", "--run", run.toString(), "--out", exported.toString());
    assertEquals(0, export.code(), export.err());
    for (Path r : new Path[] {run, exported}) {
      CliTest.Run eval = CliTest.run("", "eval", "--run", r.toString(), "--split", "test", "--count", "8",
          "--decode-steps", "4");
      assertEquals(0, eval.code(), eval.err());
    }
    Path p = Path.of("eval", "countdown3-test-masked-only-T4", "predictions.csv");
    assertArrayEquals(Files.readAllBytes(run.resolve(p)), Files.readAllBytes(exported.resolve(p)));
    assertTrue(Files.isRegularFile(exported.resolve("run.json")));
    // Adam's two slots per variable are gone: the weights file is about a third of the training checkpoint's.
    long full = dataBytes(run);
    long slim = dataBytes(exported);
    assertTrue(slim * 2 < full, slim + " vs " + full);
  }

  @Test
  void refusesAnOutputThatHoldsFilesAndARunWithoutCheckpoints(@TempDir Path tmp) throws IOException {
    Path busy = Files.createDirectories(tmp.resolve("busy"));
    Files.writeString(busy.resolve("keep.txt"), "mine");
    CliTest.Run r = CliTest.run("", "export", "--run", tmp.toString(), "--out", busy.toString());
    assertEquals(2, r.code(), r.err());
    assertEquals("lddm: --out " + busy + " exists and is not an empty directory; give a new path\n", r.err());
    assertEquals("mine", Files.readString(busy.resolve("keep.txt")));
    CliTest.Run none = CliTest.run("", "export", "--run", tmp.resolve("nothing").toString(), "--out",
        tmp.resolve("new").toString());
    assertEquals(1, none.code(), none.err());
    assertTrue(Files.notExists(tmp.resolve("new")));
  }

  private static long dataBytes(Path runDir) throws IOException {
    try (Stream<Path> s = Files.walk(runDir.resolve("checkpoints"))) {
      return s.filter(f -> f.getFileName().toString().startsWith("model.data-")).mapToLong(f -> f.toFile().length())
          .sum();
    }
  }
}
