package dev.lddm.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import dev.lddm.model.train.TensorBoardLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.Summary;

/**
 * {@code train} and {@code eval} edges a new user hits: every refusal is one line with exit 2 (usage) or 1
 * (bad data), found before any step or model load, and leaves nothing behind.
 */
class TrainEvalCliTest {
  static final String NL = System.lineSeparator();
  @TempDir static Path tmp;
  static Path mgdm;
  static Path ar;

  /** Two micro runs of 2 steps on 20 Countdown-3 problems (checkpoints at steps 1 and 2). */
  @BeforeAll
  static void trainRuns() {
    mgdm = tmp.resolve("mgdm");
    ar = tmp.resolve("ar");
    for (Path run : List.of(mgdm, ar)) {
      CliTest.Run r = train(run, "--model", run == ar ? "ar" : "mgdm");
      assertEquals(0, r.code(), r.err());
    }
  }

  /** {@code train} of a micro model with the base settings below, {@code extra} appended (later flags win). */
  static CliTest.Run train(Path out, String... extra) {
    List<String> args = new ArrayList<>(List.of("train", "--task", "countdown3", "--model", "mgdm", "--preset", "micro",
        "--steps", "2", "--batch", "4", "--train-size", "20", "--checkpoint-every", "1", "--out", out.toString()));
    List<String> more = new ArrayList<>(Arrays.asList(extra));
    // A repeated single-value option is a picocli error: replace the base value instead.
    for (int i = 0; i + 1 < more.size(); i++) {
      int at = args.indexOf(more.get(i));
      if (at >= 0 && more.get(i).startsWith("--") && !more.get(i + 1).startsWith("--")) {
        args.set(at + 1, more.get(i + 1));
        more.remove(i);
        more.remove(i);
        i--;
      }
    }
    args.addAll(more);
    return CliTest.run("", args.toArray(String[]::new));
  }

  static List<String> tree(Path root) throws Exception {
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(root)) {
      return files.map(p -> {
        try {
          return root.relativize(p) + " " + (Files.isDirectory(p) ? "-" : Files.size(p) + " "
              + Files.getLastModifiedTime(p).toMillis());
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).sorted().toList();
    }
  }

  @Test
  void resumeWithoutACheckpointIsRefusedAndCreatesNothing() {
    Path none = tmp.resolve("never-trained");
    CliTest.Run r = train(none, "--resume");
    assertEquals(2, r.code(), r.err());
    assertEquals("lddm: --resume: " + none + " has no checkpoint to resume; drop --resume to start a new run" + NL,
        r.err());
    assertFalse(Files.exists(none));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--steps 0              | --steps or --minutes must be > 0, got 0",
      "--steps -3             | --steps must be >= 1, got -3",
      "--batch 0              | --batch must be >= 1, got 0",
      "--lr 0                 | --lr must be > 0, got 0.0",
      "--checkpoint-every -1  | --checkpoint-every must be >= 0 (0 = only at the end), got -1",
      "--model lddm --self-cond-rate 2 | --self-cond-rate must be in [0, 1], got 2.0",
      "--preset huge          | Unknown preset 'huge'. Known: base, micro, small, tiny",
      "--precision fp16       | --precision must be one of: fp32, bf16, auto; got 'fp16'",
      "--dropout 1            | --dropout must be in [0, 1), got 1.0",
      "--dropout -0.1         | --dropout must be in [0, 1), got -0.1",
      "--dropout 1e-400x      | --dropout must be a number, got '1e-400x'",
      "--warmup-steps -1      | --warmup-steps must be >= 0, got -1",
      "--warmup-steps 2       | --warmup-steps 2 must be below --steps 2",
      "--preset huge --lr 1e-3 | Unknown preset 'huge'. Known: base, micro, small, tiny",
  })
  void badTrainValuesAreOneLineUsageErrors(String change, String expected) {
    Path out = tmp.resolve("bad-value");
    CliTest.Run r = train(out, change.strip().split(" +"));
    assertEquals(2, r.code(), r.err());
    assertEquals("lddm: " + expected.strip() + NL, r.err());
    assertFalse(Files.exists(out));
  }

  /**
   * {@code --dropout 0.1}: the banner says so, the checkpoint records it, eval decodes the run without being told,
   * and resuming without the option (0) is refused before anything changes.
   */
  @Test
  void dropoutIsRecordedAndResumeKeepsIt() throws Exception {
    Path run = tmp.resolve("dropout");
    CliTest.Run t = train(run, "--dropout", "0.1");
    assertEquals(0, t.code(), t.err());
    assertTrue(t.err().startsWith("lddm: training mgdm/micro with dropout 0.1 ("), t.err());
    var json = JsonParser.parseString(Files.readString(run.resolve("checkpoints/step-0000002/config.json")))
        .getAsJsonObject();
    assertEquals(0.1, json.getAsJsonObject("train").get("dropout").getAsDouble());
    CliTest.Run e = eval(run);
    assertEquals(0, e.code(), e.err());

    List<String> before = tree(run.resolve("checkpoints"));
    String log = Files.readString(run.resolve("train_log.csv"));
    CliTest.Run r = train(run, "--resume");
    assertEquals(2, r.code(), r.err());
    assertEquals("lddm: --resume: the run was trained with --dropout 0.1, not 0; use a new --out or the same value"
        + NL, r.err());
    CliTest.Run other = train(run, "--resume", "--dropout", "0.2");
    assertEquals(2, other.code(), other.err());
    assertEquals("lddm: --resume: the run was trained with --dropout 0.1, not 0.2; use a new --out or the same "
        + "value" + NL, other.err());
    assertEquals(before, tree(run.resolve("checkpoints")));
    assertEquals(log, Files.readString(run.resolve("train_log.csv")));
  }

  /**
   * Without {@code --lr} a run trains at its preset's default (micro 3e-4, tiny 1e-3 as MGDM), recorded in the
   * checkpoint; {@code --warmup-steps} is recorded too and {@code --resume} keeps both.
   */
  @Test
  void learningRateDefaultsPerPresetAndWarmupIsRecorded() throws Exception {
    Path micro = tmp.resolve("lr-micro");
    assertEquals(0, train(micro, "--warmup-steps", "1").code());
    var json = JsonParser.parseString(Files.readString(micro.resolve("checkpoints/step-0000002/config.json")))
        .getAsJsonObject().getAsJsonObject("train");
    assertEquals(3e-4, json.get("lr").getAsDouble());
    assertEquals(1, json.get("warmupSteps").getAsInt());
    CliTest.Run r = train(micro, "--resume");
    assertEquals(2, r.code(), r.err());
    assertEquals("lddm: --resume: the run was trained with --warmup-steps 1, not 0; use a new --out or the same value"
        + NL, r.err());
    Path tiny = tmp.resolve("lr-tiny");
    assertEquals(0, train(tiny, "--preset", "tiny", "--steps", "1", "--batch", "2").code());
    var tinyJson = JsonParser.parseString(Files.readString(tiny.resolve("checkpoints/step-0000001/config.json")))
        .getAsJsonObject().getAsJsonObject("train");
    assertEquals(1e-3, tinyJson.get("lr").getAsDouble());
  }

  @Test
  void selfCondRateForMgdmIsRefused() {
    Path out = tmp.resolve("sc");
    CliTest.Run r = train(out, "--self-cond-rate", "0.5");
    assertEquals(2, r.code(), r.err());
    assertEquals("lddm: --self-cond-rate does nothing for mgdm (only lddm self-conditions); drop it" + NL, r.err());
    assertFalse(Files.exists(out));
  }

  @Test
  void trainSizeLargerThanTheSplitIsRefused() {
    Path out = tmp.resolve("big");
    CliTest.Run r = train(out, "--train-size", "300000");
    assertEquals(2, r.code(), r.err());
    assertEquals("lddm: --train-size 300000 exceeds the 220000 examples of countdown3 train; use at most 220000 "
        + "(0 = the whole split)" + NL, r.err());
    assertFalse(Files.exists(out));
  }

  @Test
  void trainingIntoARunWithoutResumeIsRefused() throws Exception {
    List<String> before = tree(mgdm);
    CliTest.Run r = train(mgdm);
    assertEquals(2, r.code(), r.err());
    assertEquals("lddm: run directory " + mgdm + " already has checkpoints (step-0000002); pass --resume to continue "
        + "it or use a new --out" + NL, r.err());
    assertEquals(before, tree(mgdm));
  }

  /** Every changed training setting is refused on --resume, before any step, and nothing is touched. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--lr 0.001           | --lr 0.0003, not 0.001",
      "--steps 4            | --steps 2, not 4",
      "--minutes 1          | --steps 2, not --minutes 1",
      "--batch 8            | --batch 4, not 8",
      "--seed 2             | --seed 1, not 2",
      "--model lddm         | --model mgdm, not lddm",
      "--preset small       | --preset micro, not small",
      "--task countdown4    | --task countdown3, not countdown4",
      "--data-seed 5        | --data-seed 4, not 5",
      "--train-size 30      | --train-size 20, not 30",
      "--precision bf16     | --precision fp32, not bf16",
  })
  void resumeRefusesAChangedSetting(String change, String expected) throws Exception {
    List<String> before = tree(mgdm);
    List<String> extra = new ArrayList<>(Arrays.asList(change.strip().split(" +")));
    CliTest.Run r = extra.get(0).equals("--minutes")
        // --steps and --minutes exclude each other: spell the command out without --steps.
        ? CliTest.run("", "train", "--task", "countdown3", "--model", "mgdm", "--preset", "micro", "--minutes", "1",
            "--batch", "4", "--train-size", "20", "--out", mgdm.toString(), "--resume")
        : train(mgdm, concat(extra, "--resume"));
    assertEquals(2, r.code(), r.err());
    assertEquals("lddm: --resume: the run was trained with " + expected + "; use a new --out or the same value" + NL,
        r.err());
    assertEquals(before, tree(mgdm));
  }

  static String[] concat(List<String> a, String... b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(List.of(b));
    return all.toArray(String[]::new);
  }

  /** Threads and the checkpoint interval may change on resume; a finished run resumes as a no-op. */
  @Test
  void resumeAcceptsOtherThreadsAndCheckpointInterval() throws Exception {
    Path copy = tmp.resolve("threads");
    assertEquals(0, train(copy).code());
    CliTest.Run r = train(copy, "--resume", "--threads", "2", "--checkpoint-every", "0");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("steps=2 "), r.out());
    assertEquals(1, eventFiles(copy).size(), "a session without steps adds no event file");
  }

  static List<Path> eventFiles(Path run) throws Exception {
    try (Stream<Path> s = Files.list(run.resolve(TensorBoardLog.DIR))) {
      return s.sorted().toList();
    }
  }

  /** {@code train} writes TensorBoard scalars for every step: the losses of train_log.csv, the schedule's lr. */
  @Test
  void trainWritesTensorBoardEvents() throws Exception {
    List<Path> files = eventFiles(mgdm);
    assertEquals(1, files.size(), files.toString());
    List<Event> events = TensorBoardLog.read(files.get(0));
    assertEquals(TensorBoardLog.FILE_VERSION, events.get(0).getFileVersion());
    List<String> log = Files.readAllLines(mgdm.resolve("train_log.csv"));
    assertEquals(3, log.size());
    assertEquals(3, events.size());
    for (int step = 1; step <= 2; step++) {
      Event e = events.get(step);
      String[] row = log.get(step).split(",");
      assertEquals(step, e.getStep());
      assertEquals(List.of("train/loss", "train/learning_rate", "train/tokens_per_second", "train/elapsed_seconds"),
          e.getSummary().getValueList().stream().map(Summary.Value::getTag).toList());
      assertEquals(Float.parseFloat(row[1]), e.getSummary().getValue(0).getSimpleValue(), 0f);
      assertEquals((float) Double.parseDouble(row[2]), e.getSummary().getValue(1).getSimpleValue(), 0f);
    }
  }

  /** An event file that cannot be written is one warning: the run trains, exit 0. */
  @Test
  void anUnwritableTensorBoardDirectoryIsAWarningOnly() throws Exception {
    Path run = tmp.resolve("blocked");
    Files.createDirectories(run);
    Files.writeString(run.resolve("tensorboard"), "in the way");
    CliTest.Run r = train(run);
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("steps=2 "), r.out());
    assertTrue(r.err().contains("lddm: warning: TensorBoard events: cannot write " + run.resolve("tensorboard")
        + " (a file is in the way); training goes on without them" + NL), r.err());
    assertEquals(1, r.err().split("TensorBoard", -1).length - 1, r.err());
  }

  /** Options that do nothing for the autoregressive baseline, refused before the model is loaded. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--decoder remask     | --decoder",
      "--decode-steps 3     | --decode-steps",
      "--latent off         | --latent",
      "--latent-reset 2     | --latent-reset",
      "--diagnostics        | --diagnostics",
      "--seed 2             | --seed",
      "--decoder masked-only --decode-steps 3 --latent off | --decoder",
  })
  void evalRefusesOptionsThatDoNothingForAr(String options, String named) {
    CliTest.Run r = eval(ar, options.strip().split(" +"));
    assertEquals(2, r.code(), r.err());
    assertEquals("lddm: " + named.strip() + " does nothing for the autoregressive baseline (greedy decoding); drop it"
        + NL, r.err());
    assertFalse(Files.exists(ar.resolve("eval")));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--latent off         | --latent",
      "--latent on          | --latent",
      "--latent-reset 2     | --latent-reset",
  })
  void evalRefusesLatentOptionsForMgdm(String options, String named) {
    CliTest.Run r = eval(mgdm, options.strip().split(" +"));
    assertEquals(2, r.code(), r.err());
    assertEquals("lddm: " + named.strip() + " does nothing for mgdm (it has no latent path; lddm has); drop it" + NL,
        r.err());
    assertFalse(Files.exists(mgdm.resolve("eval")));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--task countdown5               | countdown5 needs sequence length 74; this model was trained with 37",
      "--task countdown4               | countdown4 needs sequence length 64; this model was trained with 37",
      "--count 1001                    | --count 1001 exceeds the 1000 examples of countdown3 test; use at most 1000 (0 = the whole split)",
      "--task game24 --count 101       | game24 needs sequence length 64; this model was trained with 37",
      "--task countdown7               | Unknown task 'countdown7'. Known: {tasks}",
      "--split dev                     | Unknown split 'dev'. Known: train, val, test",
  })
  void evalRefusesWhatCannotBeScored(String options, String expected) {
    CliTest.Run r = eval(mgdm, options.strip().split(" +"));
    assertEquals(2, r.code(), r.err());
    assertEquals("lddm: " + expected.strip().replace("{tasks}", CliTest.knownTasks()) + NL, r.err());
    assertFalse(Files.exists(mgdm.resolve("eval")));
  }

  static CliTest.Run eval(Path run, String... options) {
    List<String> args = new ArrayList<>(List.of("eval", "--run", run.toString(), "--count", "3"));
    int count = Arrays.asList(options).indexOf("--count");
    if (count >= 0) {
      args.subList(3, 5).clear();
    }
    args.addAll(List.of(options));
    return CliTest.run("", args.toArray(String[]::new));
  }

  /**
   * A bf16 run records its precision; eval decodes it in bf16 without being told, refuses a bad value, and
   * writes an fp32 override to its own folder; resuming it in fp32 is refused.
   */
  @Test
  void bf16RunsTrainEvaluateAndResumeInBf16() throws Exception {
    Path run = tmp.resolve("bf16");
    CliTest.Run t = train(run, "--precision", "bf16");
    assertEquals(0, t.code(), t.err());
    assertTrue(t.err().startsWith("lddm: training mgdm/micro in bf16 ("), t.err());
    String config = Files.readString(run.resolve("checkpoints/step-0000002/config.json"));
    var json = JsonParser.parseString(config).getAsJsonObject();
    assertEquals("BF16", json.getAsJsonObject("model").get("precision").getAsString());
    assertEquals("BF16", json.getAsJsonObject("train").get("precision").getAsString());

    CliTest.Run e = eval(run);
    assertEquals(0, e.code(), e.err());
    assertTrue(e.out().startsWith("countdown3 test (model trained on countdown3, mgdm/micro, 2 steps, bf16): n=3"),
        e.out());
    assertEquals("bf16", summary(run, "countdown3-test").get("precision").getAsString());
    CliTest.Run same = eval(run, "--precision", "bf16");
    assertEquals(0, same.code(), same.err());
    CliTest.Run fp32 = eval(run, "--precision", "fp32");
    assertEquals(0, fp32.code(), fp32.err());
    assertEquals("fp32", summary(run, "countdown3-test-fp32").get("precision").getAsString());
    assertEquals(List.of("countdown3-test", "countdown3-test-fp32"), list(run.resolve("eval")));

    CliTest.Run bad = eval(run, "--precision", "fp8");
    assertEquals(2, bad.code(), bad.err());
    assertEquals("lddm: --precision must be one of: fp32, bf16; got 'fp8'" + NL, bad.err());

    List<String> before = tree(run.resolve("checkpoints"));
    CliTest.Run r = train(run, "--resume");
    assertEquals(2, r.code(), r.err());
    assertEquals("lddm: --resume: the run was trained with --precision bf16, not fp32; use a new --out or the same "
        + "value" + NL, r.err());
    assertEquals(before, tree(run.resolve("checkpoints")));
  }

  /**
   * {@code --precision auto} measures, says what it chose and why on the banner's first line, and trains in that
   * precision (recorded like an explicit one, so eval and --resume follow it).
   */
  @Test
  void autoPrecisionTrainsInWhatItChoseAndSaysSo() throws Exception {
    Path run = tmp.resolve("auto");
    CliTest.Run t = train(run, "--precision", "auto");
    assertEquals(0, t.code(), t.err());
    var chose = java.util.regex.Pattern.compile("^lddm: --precision auto chose (fp32|bf16) \\(MatMul bf16 [0-9]+ vs "
        + "fp32 [0-9]+ GFLOP/s; bf16 needs 1\\.3x\\)\\R").matcher(t.err());
    assertTrue(chose.lookingAt(), t.err());
    String chosen = chose.group(1);
    String config = Files.readString(run.resolve("checkpoints/step-0000002/config.json"));
    var json = JsonParser.parseString(config).getAsJsonObject();
    assertEquals(chosen.toUpperCase(java.util.Locale.ROOT), json.getAsJsonObject("train").get("precision").getAsString());
    CliTest.Run e = eval(run);
    assertEquals(0, e.code(), e.err());
    assertEquals(chosen, summary(run, "countdown3-test").get("precision").getAsString());
  }

  /**
   * Without --threads, training uses both cores: one intra-op thread per tower and two inter-op threads, so the
   * two towers run side by side (recorded per checkpoint).
   */
  @Test
  void trainingUsesTwoThreadsByDefault() throws Exception {
    String prov = Files.readString(mgdm.resolve("checkpoints/step-0000002/provenance.json"));
    var p = JsonParser.parseString(prov).getAsJsonObject();
    assertEquals(1, p.get("intra_op_threads").getAsInt(), prov);
    assertEquals(2, p.get("inter_op_threads").getAsInt(), prov);
  }

  /** An fp32 run's eval records fp32 and keeps its folder name. */
  @Test
  void fp32RunsEvaluateInFp32() throws Exception {
    Path run = tmp.resolve("fp32-eval");
    assertEquals(0, train(run).code());
    CliTest.Run e = eval(run);
    assertEquals(0, e.code(), e.err());
    assertTrue(e.out().startsWith("countdown3 test (model trained on countdown3, mgdm/micro, 2 steps): n=3"), e.out());
    assertEquals("fp32", summary(run, "countdown3-test").get("precision").getAsString());
  }

  /**
   * {@code eval --checkpoints}: every listed checkpoint gets its own evaluation folder and the learning curve
   * is written as CSV (with analytic FLOPs) and PNG; a step without a checkpoint or a malformed list is a
   * one-line usage error before anything is evaluated.
   */
  @Test
  void evalCheckpointsWritesALearningCurve() throws Exception {
    Path run = tmp.resolve("curve");
    assertEquals(0, train(run).code());
    CliTest.Run missing = eval(run, "--checkpoints", "1,3");
    assertEquals(new CliTest.Run(2, "", "lddm: " + run + " has no checkpoint at step 3; it has steps 1, 2" + NL),
        missing);
    assertEquals(new CliTest.Run(2, "", "lddm: --checkpoints must be all or training steps like 1000,2000; got '1,x'"
        + NL), eval(run, "--checkpoints", "1,x"));
    assertEquals(new CliTest.Run(2, "", "lddm: --checkpoints lists step 1 twice" + NL),
        eval(run, "--checkpoints", "1,1"));
    assertTrue(!Files.exists(run.resolve("eval")), "nothing evaluated before the checks");

    CliTest.Run all = eval(run, "--checkpoints", "all");
    assertEquals(0, all.code(), all.err());
    assertEquals(List.of("countdown3-test-curve.csv", "countdown3-test-curve.png", "countdown3-test-step-0000001",
        "countdown3-test-step-0000002"), list(run.resolve("eval")));
    assertTrue(all.out().contains("mgdm/micro, 1 steps): n=3"), all.out());
    assertTrue(all.out().contains("mgdm/micro, 2 steps): n=3"), all.out());
    List<String> curve = Files.readAllLines(run.resolve("eval/countdown3-test-curve.csv"));
    assertEquals("train_steps,train_flops,n,correct,accuracy,ci95_low,ci95_high,checkpoint", curve.get(0));
    var config = dev.lddm.model.ModelConfig.preset(dev.lddm.model.ModelKind.MGDM, "micro", 37);
    assertTrue(curve.get(1).startsWith(String.format(java.util.Locale.ROOT, "1,%.4e,3,",
        dev.lddm.model.train.TrainingFlops.total(config, 4, 1))), curve.toString());
    assertTrue(curve.get(2).startsWith("2,") && curve.get(2).endsWith(",step-0000002"), curve.toString());
    assertEquals(3, curve.size());
    assertEquals("step-0000001", summary(run, "countdown3-test-step-0000001").get("checkpoint").getAsString());
  }

  static com.google.gson.JsonObject summary(Path run, String eval) throws Exception {
    return JsonParser.parseString(Files.readString(run.resolve("eval").resolve(eval).resolve("summary.json")))
        .getAsJsonObject();
  }

  static List<String> list(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void evalOfTheAutoregressiveBaselineWithItsDefaultsWorks() {
    Path copy = tmp.resolve("ar-ok");
    assertEquals(0, train(copy, "--model", "ar").code());
    CliTest.Run r = eval(copy);
    assertEquals(0, r.code(), r.err());
    assertTrue(Files.isRegularFile(copy.resolve("eval/countdown3-test/predictions.csv")));
  }

  /**
   * A damaged newest checkpoint: eval uses the older one with one warning and records it; train --resume
   * resumes from it; with every checkpoint damaged, one line and exit 1.
   */
  @Test
  void damagedNewestCheckpointFallsBackWithAWarning() throws Exception {
    Path run = tmp.resolve("damaged");
    assertEquals(0, train(run).code());
    Path newest = run.resolve("checkpoints/step-0000002");
    Files.delete(newest.resolve("model.index"));
    CliTest.Run e = eval(run);
    assertEquals(0, e.code(), e.err());
    assertEquals("lddm: warning: checkpoint " + newest + ": missing model.index; skipped it, using step-0000001" + NL,
        e.err());
    String summary = Files.readString(run.resolve("eval/countdown3-test/summary.json"));
    assertEquals("step-0000001", JsonParser.parseString(summary).getAsJsonObject().get("checkpoint").getAsString());
    assertTrue(e.out().contains("1 steps"), e.out());

    CliTest.Run t = train(run, "--resume");
    assertEquals(0, t.code(), t.err());
    assertTrue(t.err().contains("lddm: warning: checkpoint " + newest + ": missing model.index; skipped it, resuming "
        + "from step-0000001" + NL), t.err());
    assertTrue(Files.isRegularFile(newest.resolve("model.index")), "step 2 rewritten");

    Files.writeString(run.resolve("checkpoints/step-0000002/config.json"), "not json");
    Files.delete(run.resolve("checkpoints/step-0000001/model.index"));
    CliTest.Run none = eval(run);
    assertEquals(1, none.code(), none.err());
    assertEquals("lddm: no intact checkpoint under " + run.resolve("checkpoints") + " (checkpoint "
        + newest + ": config.json is not valid JSON; checkpoint " + run.resolve("checkpoints/step-0000001")
        + ": missing model.index); train again with a new --out" + NL, none.err());
    CliTest.Run resume = train(run, "--resume");
    assertEquals(1, resume.code(), resume.err());
    assertEquals(none.err(), resume.err());
  }
}
