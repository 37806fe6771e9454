package dev.lddm.harness.run;

import com.google.gson.GsonBuilder;
import dev.lddm.harness.AtomicFiles;
import dev.lddm.harness.UserDataException;
import dev.lddm.harness.eval.Prediction;
import dev.lddm.harness.eval.PredictionsFile;
import dev.lddm.model.ModelConfig;
import dev.lddm.model.ModelKind;
import dev.lddm.model.Precision;
import dev.lddm.model.decode.DecodeObserver;
import dev.lddm.model.decode.Sampler;
import dev.lddm.model.train.Checkpoints;
import dev.lddm.tasks.Example;
import dev.lddm.tasks.Puzzle;
import dev.lddm.tasks.Split;
import dev.lddm.tasks.Task;
import dev.lddm.tasks.TaskRegistry;
import dev.lddm.tasks.Verdict;
import dev.lddm.tasks.Verification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Decodes a split with a trained run and scores every prediction with the exact verifier. */
public final class Evaluation {
  /** MGDM's data seed, used when the run does not record one. */
  public static final long DEFAULT_DATA_SEED = 4;

  private Evaluation() {}

  /**
   * The outcome of one evaluation.
   *
   * @param dir the eval directory ({@code runDir/eval/<name>}) holding {@code predictions.csv}
   * @param trainTask the task the model was trained on
   */
  public record Result(Path dir, String task, String trainTask, String split, List<Prediction> predictions,
                       double seconds, ModelConfig config, Path checkpoint, long trainSteps) {
    public int n() {
      return predictions.size();
    }

    public int correct() {
      return (int) predictions.stream().filter(Prediction::correct).count();
    }

    public int mgdmCorrect() {
      return (int) predictions.stream().filter(Prediction::mgdmCorrect).count();
    }
  }

  /**
   * What an evaluation will do, worked out from the run's files without loading the model: every usage
   * error of an evaluation shows here, before anything expensive is loaded.
   *
   * @param kind the model kind of the run's newest readable checkpoint
   * @param seqLen the sequence length the model was trained with
   * @param trainTask the task the model was trained on
   * @param task the evaluation task
   * @param dataSeed the generator seed of the run's data (its {@code run.json}, else MGDM's 4)
   * @param precision the precision the model was trained in
   */
  public record Plan(ModelKind kind, int seqLen, String trainTask, Task<?> task, Split split, long dataSeed,
                     Precision precision) {}

  /**
   * Checks an evaluation against the run: the task and split exist, the task's sequences fit the model,
   * {@code --count} is not larger than the split. Reads only small files ({@code config.json},
   * {@code run.json}).
   *
   * @throws UserDataException when the run directory or a readable checkpoint is missing
   * @throws IllegalArgumentException (one line) for a usage error
   */
  public static Plan plan(Path runDir, EvalOptions o) {
    if (!Files.isDirectory(runDir)) {
      throw new UserDataException(runDir + ": no such run directory");
    }
    Checkpoints.Candidate newest = o.checkpointStep() == null ? newest(runDir) : atStep(runDir, o.checkpointStep());
    ModelConfig model = newest.meta().model();
    String trainTask = newest.meta().train().taskName();
    Task<?> task = TaskRegistry.get(o.task() == null ? trainTask : o.task());
    Split split = Split.parse(o.split());
    if (task.sequenceLength() > model.seqLen()) {
      throw new IllegalArgumentException(task.name() + " needs sequence length " + task.sequenceLength()
          + "; this model was trained with " + model.seqLen());
    }
    RunInfo info = RunInfo.read(runDir);
    long dataSeed = info == null ? DEFAULT_DATA_SEED : info.dataSeed();
    if (o.count() > 0) {
      long size = task.size(split);
      if (o.count() > size) {
        throw new IllegalArgumentException("--count " + o.count() + " exceeds the " + size + " examples of "
            + task.name() + " " + split.id() + "; use at most " + size + " (0 = the whole split)");
      }
    }
    return new Plan(model.kind(), model.seqLen(), trainTask, task, split, dataSeed, model.precision());
  }

  private static Checkpoints.Candidate newest(Path runDir) {
    try {
      return Checkpoints.newestReadable(runDir, new ArrayList<>())
          .orElseThrow(() -> new UserDataException(runDir + ": no checkpoint (train it first)"));
    } catch (IOException e) {
      throw new UserDataException(e.getMessage(), e);
    }
  }

  /** The checkpoint of one training step; a step without one is a usage error naming the steps there are. */
  private static Checkpoints.Candidate atStep(Path runDir, long step) {
    Path dir = Checkpoints.dir(runDir).resolve(Checkpoints.name(step));
    if (!Files.isDirectory(dir)) {
      List<Long> steps = checkpointSteps(runDir);
      throw new IllegalArgumentException(runDir + " has no checkpoint at step " + step + "; it has "
          + (steps.isEmpty() ? "none (train it first)" : "steps " + steps.stream().map(String::valueOf)
              .collect(java.util.stream.Collectors.joining(", "))));
    }
    try {
      return new Checkpoints.Candidate(dir, Checkpoints.readMeta(dir));
    } catch (IOException e) {
      throw new UserDataException(e.getMessage(), e);
    }
  }

  /** The training steps of a run's checkpoint directories, ascending. */
  public static List<Long> checkpointSteps(Path runDir) {
    List<Long> steps = new ArrayList<>();
    for (Path p : Checkpoints.newestFirst(runDir)) {
      steps.add(0, Checkpoints.stepOf(p));
    }
    return steps;
  }

  /**
   * The generated problems of the last evaluations in this process, by task, split, count and data seed. A
   * suite evaluates every checkpoint, decoder and step count of a cell on the same problems, and generating
   * 1,000 Countdown-3 test problems takes about 5 s of CPU; generation is a pure function of the key (the task
   * contract; the key holds the task class, so a plug-in loaded again is a new key), so reusing the list changes
   * nothing but the time.
   */
  private static final Map<List<Object>, List<Example>> GENERATED = java.util.Collections.synchronizedMap(
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<List<Object>, List<Example>> eldest) {
          return size() > 8;
        }
      });

  static List<Example> examples(Task<?> task, Split split, int count, long dataSeed) {
    List<Object> key = List.of(task.getClass(), task.name(), split, count, dataSeed); // a plug-in class per loader
    List<Example> cached = GENERATED.get(key);
    if (cached != null) {
      return cached;
    }
    List<Example> made = List.copyOf(count == 0 ? task.examples(split, dataSeed).toList()
        : task.generate(split, count, dataSeed));
    GENERATED.put(key, made);
    return made;
  }

  /**
   * Evaluates the newest intact checkpoint of {@code runDir} (see {@link Sampler#load(Path, int, int, Consumer)};
   * newer ones passed over are reported to {@code warnings}, and {@code summary.json} names the one used);
   * writes {@code predictions.csv} and {@code summary.json} atomically under {@code runDir/eval/<name>/}.
   * With {@link EvalOptions#checkpointStep()} it evaluates that checkpoint instead.
   * Everything {@link #plan} checks is checked before the model is loaded.
   *
   * @param observer per-step view of decoding (diagnostics), or {@code null}
   */
  public static Result run(Path runDir, EvalOptions options, DecodeObserver observer, Consumer<String> warnings) {
    Plan plan = plan(runDir, options);
    // Decoding in the model's own precision is the default, however it was asked for.
    EvalOptions o = options.precision() == plan.precision() ? options.withPrecision(null) : options;
    // Without an observer the fast path decodes o.threads() runs at once, one TensorFlow thread each (the inter-op
    // pool lets their Session.run calls proceed side by side; 1.9x on 2 cores, results/bench/2026-12-02-threads);
    // the observed reference path is sequential and uses the threads inside each op instead.
    int intra = observer == null ? 1 : o.threads();
    int inter = observer == null ? o.threads() : 1;
    try (Sampler sampler = o.checkpointStep() == null
        ? Sampler.load(runDir, intra, inter, o.precision(), warnings)
        : Sampler.loadCheckpoint(Checkpoints.dir(runDir).resolve(Checkpoints.name(o.checkpointStep())), intra,
            inter, o.precision())) {
      Checkpoints.Meta meta = Checkpoints.readMeta(sampler.checkpoint());
      String trainTask = meta.train().taskName();
      Task<?> task = plan.task();
      Split split = plan.split();
      if (task.sequenceLength() > sampler.config().seqLen()) {
        throw new IllegalArgumentException(task.name() + " needs sequence length " + task.sequenceLength()
            + "; this model was trained with " + sampler.config().seqLen());
      }
      List<Example> examples = examples(task, split, o.count(), plan.dataSeed());
      List<String> inputs = examples.stream().map(Example::input).toList();
      long start = System.nanoTime();
      List<String> outputs = sampler.decode(inputs, o.decode(), observer);
      double seconds = (System.nanoTime() - start) / 1e9;
      List<Prediction> rows = new ArrayList<>(inputs.size());
      for (int i = 0; i < inputs.size(); i++) {
        rows.add(score(task, split, i, inputs.get(i), outputs.get(i)));
      }
      Path dir = runDir.resolve("eval").resolve(o.dirName(task.name()));
      PredictionsFile.write(dir.resolve(PredictionsFile.NAME), rows);
      Result r = new Result(dir, task.name(), trainTask, split.id(), rows, seconds, sampler.config(),
          sampler.checkpoint(), meta.step());
      writeSummary(r, o, task);
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  /**
   * The model kind of a run's newest readable checkpoint.
   *
   * @throws UserDataException when the directory holds no readable checkpoint
   */
  public static ModelKind kindOf(Path runDir) {
    try {
      return Checkpoints.newestReadable(runDir, new ArrayList<>())
          .orElseThrow(() -> new UserDataException(runDir + ": no checkpoint (train it first)"))
          .meta().model().kind();
    } catch (IOException e) {
      throw new UserDataException(e.getMessage(), e);
    }
  }

  /** The strict verdict and the task's lenient score (MGDM's, for Countdown) of one prediction. */
  static <P extends Puzzle> Prediction score(Task<P> task, Split split, int index, String input, String output) {
    P p = task.parse(input);
    Verification v = task.verify(p, output);
    return new Prediction(task.name(), split.id(), index, input, output, v.verdict(), task.lenientCorrect(p, output));
  }

  private static void writeSummary(Result r, EvalOptions o, Task<?> task) {
    var w = dev.lddm.harness.stats.Wilson.of95(r.correct(), r.n());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("task", r.task());
    m.put("train_task", r.trainTask());
    m.put("task_source", dev.lddm.harness.TaskSource.of(java.util.List.of(r.task(), r.trainTask())));
    m.put("split", r.split());
    m.put("n", r.n());
    m.put("correct", r.correct());
    m.put("accuracy", r.n() == 0 ? 0 : (double) r.correct() / r.n());
    m.put("ci95_low", w.low());
    m.put("ci95_high", w.high());
    m.put("mgdm_correct", r.mgdmCorrect());
    m.put("decoder", o.decode().decoder().id());
    m.put("decode_steps", o.decode().steps());
    m.put("decode_seed", o.decode().seed());
    m.put("variant", o.variant());
    m.put("precision", r.config().precision().id());
    m.put("checkpoint", r.checkpoint().getFileName().toString());
    m.put("eval_seconds", r.seconds());
    // Counts in the task's order of verdicts (those that occur), e.g. CORRECT, WRONG_NUMBERS, ..., MALFORMED.
    Map<Verdict, Integer> counts = new LinkedHashMap<>();
    task.verdicts().forEach(v -> counts.put(v, 0));
    r.predictions().forEach(p -> counts.merge(p.verdict(), 1, Integer::sum));
    Map<String, Integer> verdicts = new LinkedHashMap<>();
    counts.forEach((v, n) -> {
      if (n > 0) {
        verdicts.put(v.name(), n);
      }
    });
    m.put("verdicts", verdicts);
    AtomicFiles.writeString(r.dir().resolve("summary.json"),
        new GsonBuilder().setPrettyPrinting().create().toJson(m) + "\n");
  }
}
