package dev.lddm.harness.run;

import com.google.gson.GsonBuilder;
import dev.lddm.harness.AtomicFiles;
import dev.lddm.harness.UserDataException;
import dev.lddm.harness.eval.Prediction;
import dev.lddm.harness.eval.PredictionsFile;
import dev.lddm.model.ModelConfig;
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
   * Evaluates the latest checkpoint of {@code runDir}; writes {@code predictions.csv} and
   * {@code summary.json} atomically under {@code runDir/eval/<name>/}.
   *
   * @param observer per-step view of decoding (diagnostics), or {@code null}
   */
  public static Result run(Path runDir, EvalOptions o, DecodeObserver observer) {
    if (!Files.isDirectory(runDir)) {
      throw new UserDataException(runDir + ": no such run directory");
    }
    Split split = Split.parse(o.split());
    try (Sampler sampler = Sampler.load(runDir, o.threads(), 1)) {
      Checkpoints.Meta meta = Checkpoints.readMeta(sampler.checkpoint());
      String trainTask = meta.train().taskName();
      String evalTask = o.task() == null ? trainTask : o.task();
      Task task = TaskRegistry.get(evalTask);
      RunInfo info = RunInfo.read(runDir);
      long dataSeed = info == null ? DEFAULT_DATA_SEED : info.dataSeed();
      List<Example> examples = o.count() == 0
          ? task.examples(split, dataSeed).toList()
          : task.generate(split, o.count(), dataSeed);
      List<String> inputs = examples.stream().map(Example::input).toList();
      long start = System.nanoTime();
      List<String> outputs = sampler.decode(inputs, o.decode(), observer);
      double seconds = (System.nanoTime() - start) / 1e9;
      List<Prediction> rows = new ArrayList<>(inputs.size());
      for (int i = 0; i < inputs.size(); i++) {
        rows.add(score(task, split, i, inputs.get(i), outputs.get(i)));
      }
      Path dir = runDir.resolve("eval").resolve(o.dirName(evalTask));
      PredictionsFile.write(dir.resolve(PredictionsFile.NAME), rows);
      Result r = new Result(dir, evalTask, trainTask, split.id(), rows, seconds, sampler.config(),
          sampler.checkpoint(), meta.step());
      writeSummary(r, o);
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The model kind of a run's latest checkpoint.
   *
   * @throws UserDataException when the directory holds no readable checkpoint
   */
  public static dev.lddm.model.ModelKind kindOf(Path runDir) {
    Path ckpt = Checkpoints.latest(runDir)
        .orElseThrow(() -> new UserDataException(runDir + ": no checkpoint (train it first)"));
    try {
      return Checkpoints.readMeta(ckpt).model().kind();
    } catch (IOException e) {
      throw new UserDataException(ckpt + " is unreadable: " + e.getMessage(), e);
    }
  }

  /** The strict verdict and MGDM's lenient score of one prediction. */
  static Prediction score(Task task, Split split, int index, String input, String output) {
    Puzzle p = task.parse(input);
    Verification v = task.verify(p, output);
    return new Prediction(task.name(), split.id(), index, input, output, v.verdict(), task.lenientCorrect(p, output));
  }

  private static void writeSummary(Result r, EvalOptions o) {
    var w = dev.lddm.harness.stats.Wilson.of95(r.correct(), r.n());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("task", r.task());
    m.put("train_task", r.trainTask());
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
    m.put("checkpoint", r.checkpoint().getFileName().toString());
    m.put("eval_seconds", r.seconds());
    Map<Verdict, Integer> verdicts = new java.util.EnumMap<>(Verdict.class);
    r.predictions().forEach(p -> verdicts.merge(p.verdict(), 1, Integer::sum));
    m.put("verdicts", verdicts);
    AtomicFiles.writeString(r.dir().resolve("summary.json"),
        new GsonBuilder().setPrettyPrinting().create().toJson(m) + "\n");
  }
}
