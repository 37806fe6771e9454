package dev.lddm.model.train;

import static org.junit.jupiter.api.Assertions.*;

import dev.lddm.model.Fixtures;
import dev.lddm.model.ModelKind;
import dev.lddm.model.decode.DecodeOptions;
import dev.lddm.model.decode.Decoder;
import dev.lddm.model.decode.Sampler;
import dev.lddm.tasks.Example;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
  @TempDir Path tmp;

  private static TrainSpec spec(ModelKind kind, long steps) {
    return new TrainSpec("countdown3", kind, "micro", steps, 0, 8, 3e-3, 7, 0, 0, 0.9, 0, 1, 1);
  }

  private static List<Double> losses(TrainSpec s, Path dir, boolean resume) {
    List<Double> out = new ArrayList<>();
    Trainer.train(s, Fixtures.COUNTDOWN3, Fixtures.SEQ_LEN, dir, resume, (step, total, loss, tps, el) -> out.add(loss));
    return out;
  }

  @Test
  void microMgdmOverfitsAndDecodesTheTargets() {
    assertOverfits(ModelKind.MGDM, 300);
  }

  @Test
  void microLddmOverfitsAndDecodesTheTargets() {
    assertOverfits(ModelKind.LDDM, 300);
  }

  /** AR: greedy decoding ignores the decoder option, so every decoder must reproduce the targets too. */
  @Test
  void microArOverfitsAndDecodesTheTargets() {
    assertOverfits(ModelKind.AR, 300);
  }

  private void assertOverfits(ModelKind kind, int steps) {
    Path run = tmp.resolve(kind.id());
    TrainSpec s = new TrainSpec("countdown3", kind, "micro", steps, 0, 16, 3e-3, 7, 100, 20, 0.9, 0, 1, 1);
    TrainResult r = Trainer.train(s, Fixtures.COUNTDOWN3, Fixtures.SEQ_LEN, run, false, TrainListener.NONE);
    assertEquals(steps, r.steps());
    assertTrue(Files.isDirectory(run.resolve("checkpoints").resolve("step-0000300")));
    List<String> inputs = Fixtures.COUNTDOWN3.stream().map(Example::input).toList();
    List<String> targets = Fixtures.COUNTDOWN3.stream().map(Example::output).toList();
    try (Sampler sampler = Sampler.load(run)) {
      assertEquals(kind, sampler.config().kind());
      for (Decoder d : Decoder.values()) {
        List<String> got = sampler.decode(inputs, DecodeOptions.defaults().withDecoder(d).withBatch(3));
        assertEquals(targets, got, kind + " " + d + " (final loss " + r.finalLoss() + ")");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = ModelKind.class, names = {"LDDM", "AR"})
  void sameSeedSameLossesAndResumeEqualsUninterrupted(ModelKind kind) {
    List<Double> a = losses(spec(kind, 6), tmp.resolve("a"), false);
    List<Double> b = losses(spec(kind, 6), tmp.resolve("b"), false);
    assertEquals(6, a.size());
    assertEquals(a, b, "same seed, same losses");
    List<Double> c = losses(spec(kind, 6).withSeed(8), tmp.resolve("c"), false);
    assertNotEquals(a.get(0), c.get(0));

    Path run = tmp.resolve("resumed");
    List<Double> first = new ArrayList<>();
    RuntimeException killed = assertThrows(RuntimeException.class, () -> Trainer.train(
        spec(kind, 6).withCheckpointEvery(3), Fixtures.COUNTDOWN3, Fixtures.SEQ_LEN, run, false,
        new TrainListener() {
          @Override
          public void onStep(long step, long total, double loss, double tps, double el) {
            first.add(loss);
          }

          @Override
          public void onCheckpoint(long step, Path dir) {
            throw new IllegalStateException("killed after checkpoint " + step);
          }
        }));
    assertEquals("killed after checkpoint 3", killed.getMessage());
    assertEquals(3, first.size());
    List<Double> rest = losses(spec(kind, 6).withCheckpointEvery(3), run, true);
    List<Double> all = new ArrayList<>(first);
    all.addAll(rest);
    assertEquals(a, all, "kill at 3 and resume == uninterrupted");
    assertTrue(Files.isRegularFile(run.resolve("checkpoints/step-0000006/provenance.json")));
    assertTrue(Files.isRegularFile(run.resolve("checkpoints/step-0000006/config.json")));
    assertTrue(Files.isRegularFile(run.resolve("checkpoints/step-0000006/model.index")));
    try {
      List<String> log = Files.readAllLines(run.resolve("train_log.csv"));
      assertEquals(Checkpoints.LOG_HEADER, log.get(0));
      assertEquals(7, log.size());
      assertTrue(log.get(6).startsWith("6,"));
    } catch (java.io.IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void mismatchedOrCorruptCheckpointsAreRejected() throws Exception {
    Path run = tmp.resolve("m");
    losses(spec(ModelKind.MGDM, 2), run, false);
    IllegalArgumentException exists = assertThrows(IllegalArgumentException.class,
        () -> losses(spec(ModelKind.MGDM, 4), run, false));
    assertTrue(exists.getMessage().contains("already has checkpoints"), exists.getMessage());
    IllegalArgumentException kind = assertThrows(IllegalArgumentException.class,
        () -> losses(spec(ModelKind.LDDM, 4), run, true));
    assertTrue(kind.getMessage().contains("mgdm/micro/seqLen=37"), kind.getMessage());
    IllegalArgumentException len = assertThrows(IllegalArgumentException.class,
        () -> Trainer.train(spec(ModelKind.MGDM, 4), Fixtures.COUNTDOWN3, 40, run, true, null));
    assertFalse(len.getMessage().contains("\n"));
    Files.delete(run.resolve("checkpoints/step-0000002/model.index"));
    UncheckedIOException corrupt = assertThrows(UncheckedIOException.class,
        () -> losses(spec(ModelKind.MGDM, 4), run, true));
    assertTrue(corrupt.getMessage().contains("missing model.index"), corrupt.getMessage());
    assertThrows(UncheckedIOException.class, () -> Sampler.load(run));
    assertThrows(IllegalArgumentException.class, () -> Sampler.load(tmp.resolve("nothing")));
  }

  @Test
  void learningRateSchedule() {
    TrainSpec s = new TrainSpec("t", ModelKind.MGDM, "micro", 110, 0, 8, 1e-3, 1, 0, 10, 0.9, 0, 1, 1);
    assertEquals(1e-4, s.learningRate(0), 1e-12);
    assertEquals(1e-3, s.learningRate(9), 1e-12);
    assertEquals(1e-3, s.learningRate(10), 1e-12);
    assertEquals(5e-4, s.learningRate(60), 1e-12);
    assertEquals(0, s.learningRate(110), 1e-12);
  }
}
