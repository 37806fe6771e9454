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
import org.junit.jupiter.params.provider.CsvSource;
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

  /**
   * The CLI's {@code --threads 2} (one intra-op thread per tower, two inter-op threads: the towers run side by side)
   * trains the same bits as one thread: the graph, hence every sum's order, does not depend on the thread count.
   */
  @ParameterizedTest
  @EnumSource(ModelKind.class)
  void towersSideBySideTrainTheSameBitsAsOneThread(ModelKind kind) {
    TrainSpec one = spec(kind, 12);
    TrainSpec two = new TrainSpec("countdown3", kind, "micro", 12, 0, 8, 3e-3, 7, 0, 0, 0.9, 0, 1, 2);
    List<Double> a = losses(one, tmp.resolve("one"), false);
    List<Double> b = losses(two, tmp.resolve("two"), false);
    assertEquals(12, a.size());
    assertEquals(a, b, kind + ": 1/1 and 1/2 threads");
  }

  @Test
  void mismatchedOrCorruptCheckpointsAreRejected() throws Exception {
    Path run = tmp.resolve("m");
    losses(spec(ModelKind.MGDM, 2), run, false);
    IllegalArgumentException exists = assertThrows(IllegalArgumentException.class,
        () -> losses(spec(ModelKind.MGDM, 2), run, false));
    assertEquals("run directory " + run + " already has checkpoints (step-0000002); pass --resume to continue it "
        + "or use a new --out", exists.getMessage());
    IllegalArgumentException kind = assertThrows(IllegalArgumentException.class,
        () -> losses(spec(ModelKind.LDDM, 2), run, true));
    assertEquals("--resume: the run was trained with --model mgdm, not lddm; use a new --out or the same value",
        kind.getMessage());
    IllegalArgumentException len = assertThrows(IllegalArgumentException.class,
        () -> Trainer.train(spec(ModelKind.MGDM, 2), Fixtures.COUNTDOWN3, 40, run, true, null));
    assertTrue(len.getMessage().contains("holds a mgdm/micro/seqLen=37 model, but this run is mgdm/micro/seqLen=40"),
        len.getMessage());
    IllegalArgumentException data = assertThrows(IllegalArgumentException.class,
        () -> Trainer.train(spec(ModelKind.MGDM, 2), Fixtures.COUNTDOWN3.subList(0, 5), Fixtures.SEQ_LEN, run, true,
            null));
    assertEquals("--resume: the run was trained on other data (8 examples) than given now (5 examples); use a new "
        + "--out or the same --task, --data-seed and --train-size", data.getMessage());
    Files.delete(run.resolve("checkpoints/step-0000002/model.index"));
    UncheckedIOException corrupt = assertThrows(UncheckedIOException.class,
        () -> losses(spec(ModelKind.MGDM, 2), run, true));
    assertEquals("no intact checkpoint under " + run.resolve("checkpoints") + " (checkpoint "
        + run.resolve("checkpoints/step-0000002") + ": missing model.index); train again with a new --out",
        corrupt.getMessage());
    UncheckedIOException load = assertThrows(UncheckedIOException.class, () -> Sampler.load(run));
    assertEquals(corrupt.getMessage(), load.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Sampler.load(tmp.resolve("nothing")));
  }

  /** Every setting that changes the steps is refused on resume, before any step, naming both values. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "lr        | --lr 0.003, not 0.001",
      "steps     | --steps 4, not 6",
      "minutes   | --steps 4, not --minutes 2",
      "batch     | --batch 8, not 4",
      "seed      | --seed 7, not 8",
      "warmup    | --warmup-steps 0, not 2",
      "decay     | weight decay 0, not 0.01",
      "selfcond  | --self-cond-rate 0.9, not 0.5",
      "task      | --task countdown3, not countdown4",
      "preset    | --preset micro, not small",
      "precision | --precision fp32, not bf16",
      "dropout   | --dropout 0, not 0.1",
  })
  void resumeRefusesChangedSettings(String setting, String expected) throws Exception {
    Path run = tmp.resolve("settings");
    TrainSpec trained = new TrainSpec("countdown3", ModelKind.LDDM, "micro", 4, 0, 8, 3e-3, 7, 2, 0, 0.9, 0, 1, 1);
    Trainer.train(trained, Fixtures.COUNTDOWN3, Fixtures.SEQ_LEN, run, Trainer.Start.FRESH, null, w -> { });
    Trainer.train(trained.withCheckpointEvery(0), Fixtures.COUNTDOWN3, Fixtures.SEQ_LEN, tmp.resolve("other"),
        Trainer.Start.FRESH, null, w -> { });
    // Losses so far, to prove the refused resume ran no step and rewrote nothing.
    String log = Files.readString(run.resolve("train_log.csv"));
    TrainSpec changed = switch (setting) {
      case "lr" -> new TrainSpec("countdown3", ModelKind.LDDM, "micro", 4, 0, 8, 1e-3, 7, 2, 0, 0.9, 0, 1, 1);
      case "steps" -> new TrainSpec("countdown3", ModelKind.LDDM, "micro", 6, 0, 8, 3e-3, 7, 2, 0, 0.9, 0, 1, 1);
      case "minutes" -> new TrainSpec("countdown3", ModelKind.LDDM, "micro", 0, 2, 8, 3e-3, 7, 2, 0, 0.9, 0, 1, 1);
      case "batch" -> new TrainSpec("countdown3", ModelKind.LDDM, "micro", 4, 0, 4, 3e-3, 7, 2, 0, 0.9, 0, 1, 1);
      case "seed" -> trained.withSeed(8);
      case "warmup" -> new TrainSpec("countdown3", ModelKind.LDDM, "micro", 4, 0, 8, 3e-3, 7, 2, 2, 0.9, 0, 1, 1);
      case "decay" -> new TrainSpec("countdown3", ModelKind.LDDM, "micro", 4, 0, 8, 3e-3, 7, 2, 0, 0.9, 0.01, 1, 1);
      case "selfcond" -> new TrainSpec("countdown3", ModelKind.LDDM, "micro", 4, 0, 8, 3e-3, 7, 2, 0, 0.5, 0, 1, 1);
      case "task" -> new TrainSpec("countdown4", ModelKind.LDDM, "micro", 4, 0, 8, 3e-3, 7, 2, 0, 0.9, 0, 1, 1);
      case "preset" -> new TrainSpec("countdown3", ModelKind.LDDM, "small", 4, 0, 8, 3e-3, 7, 2, 0, 0.9, 0, 1, 1);
      case "precision" -> trained.withPrecision(dev.lddm.model.Precision.BF16);
      case "dropout" -> trained.withDropout(0.1);
      default -> throw new IllegalStateException(setting);
    };
    List<Double> steps = new ArrayList<>();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trainer.train(changed,
        Fixtures.COUNTDOWN3, Fixtures.SEQ_LEN, run, Trainer.Start.RESUME, (s, t, l, tps, el) -> steps.add(l),
        w -> fail("no warning expected: " + w)));
    assertEquals("--resume: the run was trained with " + expected + "; use a new --out or the same value",
        e.getMessage());
    IllegalArgumentException checked = assertThrows(IllegalArgumentException.class,
        () -> Trainer.check(changed, Fixtures.SEQ_LEN, run, Trainer.Start.RESUME));
    assertEquals(e.getMessage(), checked.getMessage());
    assertEquals(List.of(), steps);
    assertEquals(log, Files.readString(run.resolve("train_log.csv")));
  }

  /** Threads, the checkpoint interval and (for MGDM, which ignores it) the self-conditioning rate may change. */
  @Test
  void resumeAcceptsSettingsThatDoNotChangeTheSteps() {
    Path run = tmp.resolve("threads");
    TrainSpec trained = new TrainSpec("countdown3", ModelKind.MGDM, "micro", 4, 0, 8, 3e-3, 7, 2, 0, 0.9, 0, 1, 1);
    List<Double> all = losses(trained, tmp.resolve("whole"), false);
    List<Double> first = new ArrayList<>();
    assertThrows(IllegalStateException.class, () -> Trainer.train(trained, Fixtures.COUNTDOWN3, Fixtures.SEQ_LEN,
        run, Trainer.Start.FRESH, new TrainListener() {
          @Override
          public void onStep(long step, long total, double loss, double tps, double el) {
            first.add(loss);
          }

          @Override
          public void onCheckpoint(long step, Path dir) {
            throw new IllegalStateException("killed");
          }
        }, w -> { }));
    assertEquals(2, first.size());
    // Other thread counts are accepted (they are recorded per checkpoint in provenance.json).
    Trainer.check(new TrainSpec("countdown3", ModelKind.MGDM, "micro", 4, 0, 8, 3e-3, 7, 2, 0, 0.9, 0, 2, 2),
        Fixtures.SEQ_LEN, run, Trainer.Start.RESUME);
    TrainSpec changed = new TrainSpec("countdown3", ModelKind.MGDM, "micro", 4, 0, 8, 3e-3, 7, 0, 0, 0.5, 0, 1, 1);
    List<Double> rest = new ArrayList<>();
    Trainer.train(changed, Fixtures.COUNTDOWN3, Fixtures.SEQ_LEN, run, Trainer.Start.RESUME,
        (s, t, l, tps, el) -> rest.add(l), w -> fail(w));
    first.addAll(rest);
    assertEquals(all, first);
  }

  /** Each checkpoint names the CPUs that trained it: a run resumed on another kind of machine lists both. */
  @Test
  void checkpointsRecordTheCpusThatTrainedThem() throws Exception {
    Path run = tmp.resolve("cpus");
    TrainSpec s = new TrainSpec("countdown3", ModelKind.MGDM, "micro", 4, 0, 8, 3e-3, 7, 2, 0, 0.9, 0, 1, 1);
    Path[] first = new Path[1];
    assertThrows(IllegalStateException.class, () -> Trainer.train(s, Fixtures.COUNTDOWN3, Fixtures.SEQ_LEN, run,
        Trainer.Start.FRESH, new TrainListener() {
          @Override
          public void onStep(long step, long total, double loss, double tps, double el) { }

          @Override
          public void onCheckpoint(long step, Path dir) {
            first[0] = dir;
            throw new IllegalStateException("killed");
          }
        }, w -> { }));
    String here = dev.lddm.model.HostCpu.describe();
    assertEquals(List.of(here), Checkpoints.readMeta(first[0]).cpus());
    // Pretend the first two steps ran on another machine.
    Path cfg = first[0].resolve("config.json");
    com.google.gson.JsonObject j = com.google.gson.JsonParser.parseString(Files.readString(cfg)).getAsJsonObject();
    com.google.gson.JsonArray elsewhere = new com.google.gson.JsonArray();
    elsewhere.add("Elsewhere (family 1 model 1; no bf16 instructions)");
    j.add("cpus", elsewhere);
    Files.writeString(cfg, j.toString());
    TrainResult r = Trainer.train(s, Fixtures.COUNTDOWN3, Fixtures.SEQ_LEN, run, Trainer.Start.RESUME, null,
        w -> fail(w));
    assertEquals(List.of("Elsewhere (family 1 model 1; no bf16 instructions)", here),
        Checkpoints.readMeta(r.checkpoint()).cpus());
    // A checkpoint written before the record existed: its CPUs are unknown (empty), it still resumes, and the
    // run it continues does not claim its steps for this CPU.
    j.remove("cpus");
    Files.writeString(cfg, j.toString());
    assertEquals(List.of(), Checkpoints.readMeta(first[0]).cpus());
    Path again = tmp.resolve("cpus-old");
    Files.createDirectories(Checkpoints.dir(again));
    copyTree(first[0], Checkpoints.dir(again).resolve(first[0].getFileName()));
    TrainResult old = Trainer.train(s, Fixtures.COUNTDOWN3, Fixtures.SEQ_LEN, again, Trainer.Start.RESUME, null,
        w -> fail(w));
    assertEquals(List.of(Checkpoints.UNKNOWN_CPU, here), Checkpoints.readMeta(old.checkpoint()).cpus());
  }

  private static void copyTree(Path from, Path to) throws java.io.IOException {
    Files.createDirectories(to);
    try (var files = Files.list(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
  }

  @Test
  void resumeWithoutACheckpointIsRefusedAndCreatesNothing() {
    Path missing = tmp.resolve("never-trained");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trainer.train(spec(ModelKind.MGDM,
        2), Fixtures.COUNTDOWN3, Fixtures.SEQ_LEN, missing, Trainer.Start.RESUME, null, w -> { }));
    assertEquals("--resume: " + missing + " has no checkpoint to resume; drop --resume to start a new run",
        e.getMessage());
    assertFalse(Files.exists(missing));
    // "Resume if present" (suite cells interrupted before their first checkpoint) starts fresh.
    TrainResult r = Trainer.train(spec(ModelKind.MGDM, 2), Fixtures.COUNTDOWN3, Fixtures.SEQ_LEN, missing,
        Trainer.Start.RESUME_IF_PRESENT, null, w -> fail(w));
    assertEquals(0, r.startStep());
    assertEquals(2, r.steps());
  }

  /** How a checkpoint gets damaged: by hand, a full disk, a copy that stopped half-way. */
  enum Damage { TRUNCATE_DATA, DELETE_DATA, GARBAGE_CONFIG, DELETE_INDEX }

  /**
   * A data file cut after the model's weights (TF stores variables sorted by name: {@code model/...} before
   * {@code optimizer/...}, the AdamW slots, which are twice the model's size): resume needs the lost
   * optimizer state and falls back; evaluation needs only the weights, which TF restores checksummed.
   */
  @Test
  void dataCutInTheOptimizerStateBlocksResumeButNotEvaluation() throws Exception {
    TrainSpec s = spec(ModelKind.MGDM, 4).withCheckpointEvery(2);
    Path run = tmp.resolve("cut");
    losses(s, run, false);
    Path newest = run.resolve("checkpoints/step-0000004");
    Path data = newest.resolve("model.data-00000-of-00001");
    byte[] bytes = Files.readAllBytes(data);
    Files.write(data, java.util.Arrays.copyOf(bytes, bytes.length * 3 / 4));
    List<String> warnings = new ArrayList<>();
    try (Sampler sampler = Sampler.load(run, 1, 1, warnings::add)) {
      assertEquals(newest, sampler.checkpoint());
    }
    assertEquals(List.of(), warnings);
    Trainer.train(s, Fixtures.COUNTDOWN3, Fixtures.SEQ_LEN, run, Trainer.Start.RESUME, null, warnings::add);
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).startsWith("checkpoint " + newest + ": TensorFlow cannot restore it ("),
        warnings.get(0));
  }

  /**
   * A damaged newest checkpoint: resume and the sampler fall back to the older one with one warning, and the
   * resumed run ends with the uninterrupted run's losses (and rewrites the damaged checkpoint).
   */
  @ParameterizedTest
  @EnumSource(Damage.class)
  void damagedNewestCheckpointFallsBackToTheOlderOne(Damage damage) throws Exception {
    TrainSpec s = spec(ModelKind.LDDM, 6).withCheckpointEvery(3);
    List<Double> whole = losses(s, tmp.resolve("whole"), false);
    Path run = tmp.resolve("damaged");
    losses(s, run, false);
    Path newest = run.resolve("checkpoints/step-0000006");
    String reason = damage(newest, damage);

    List<String> warnings = new ArrayList<>();
    try (Sampler sampler = Sampler.load(run, 1, 1, warnings::add)) {
      assertEquals(run.resolve("checkpoints/step-0000003"), sampler.checkpoint());
    }
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).startsWith("checkpoint " + newest + ": " + reason), warnings.get(0));
    assertTrue(warnings.get(0).endsWith("; skipped it, using step-0000003"), warnings.get(0));

    warnings.clear();
    List<Double> rest = new ArrayList<>();
    TrainResult r = Trainer.train(s, Fixtures.COUNTDOWN3, Fixtures.SEQ_LEN, run, Trainer.Start.RESUME,
        (step, total, loss, tps, el) -> rest.add(loss), warnings::add);
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).startsWith("checkpoint " + newest + ": " + reason), warnings.get(0));
    assertTrue(warnings.get(0).endsWith("; skipped it, resuming from step-0000003"), warnings.get(0));
    assertEquals(3, r.startStep());
    assertEquals(whole.subList(3, 6), rest, "resumed from step 3 == uninterrupted");
    assertEquals(newest, r.checkpoint());
    assertEquals(lossColumn(tmp.resolve("whole")), lossColumn(run));
    // The rewritten checkpoint is intact again.
    warnings.clear();
    try (Sampler sampler = Sampler.load(run, 1, 1, warnings::add)) {
      assertEquals(newest, sampler.checkpoint());
    }
    assertEquals(List.of(), warnings);
  }

  @Test
  void noIntactCheckpointIsOneLineError() throws Exception {
    TrainSpec s = spec(ModelKind.MGDM, 4).withCheckpointEvery(2);
    Path run = tmp.resolve("all-damaged");
    losses(s, run, false);
    damage(run.resolve("checkpoints/step-0000004"), Damage.GARBAGE_CONFIG);
    damage(run.resolve("checkpoints/step-0000002"), Damage.TRUNCATE_DATA);
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Trainer.train(s, Fixtures.COUNTDOWN3,
        Fixtures.SEQ_LEN, run, Trainer.Start.RESUME, null, w -> fail(w)));
    assertTrue(e.getMessage().startsWith("no intact checkpoint under " + run.resolve("checkpoints") + " (checkpoint "
        + run.resolve("checkpoints/step-0000004") + ": config.json is not valid JSON; checkpoint "), e.getMessage());
    assertTrue(e.getMessage().contains("; checkpoint " + run.resolve("checkpoints/step-0000002")
        + ": TensorFlow cannot restore it ("), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
    UncheckedIOException load = assertThrows(UncheckedIOException.class, () -> Sampler.load(run, 1, 1, w -> fail(w)));
    assertTrue(load.getMessage().startsWith("no intact checkpoint under "), load.getMessage());
  }

  /** Damages a checkpoint; returns the start of the reason the loaders give. */
  static String damage(Path ckpt, Damage damage) throws java.io.IOException {
    Path data;
    try (var files = Files.newDirectoryStream(ckpt, "model.data-*")) {
      data = files.iterator().next();
    }
    switch (damage) {
      case TRUNCATE_DATA -> {
        byte[] bytes = Files.readAllBytes(data);
        Files.write(data, java.util.Arrays.copyOf(bytes, bytes.length / 5)); // into the model's weights
        return "TensorFlow cannot restore it (";
      }
      case DELETE_DATA -> {
        Files.delete(data);
        return "missing model.data-*";
      }
      case GARBAGE_CONFIG -> {
        Files.writeString(ckpt.resolve("config.json"), "{\"format\": 1, \"step\": tru");
        return "config.json is not valid JSON";
      }
      case DELETE_INDEX -> {
        Files.delete(ckpt.resolve("model.index"));
        return "missing model.index";
      }
      default -> throw new IllegalStateException();
    }
  }

  /** The train log without its timing columns (step, loss, lr, self_cond). */
  static List<String> lossColumn(Path run) throws java.io.IOException {
    return Files.readAllLines(run.resolve("train_log.csv")).stream().map(l -> {
      String[] c = l.split(",");
      return c[0] + "," + c[1] + "," + c[2] + "," + c[5];
    }).toList();
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
