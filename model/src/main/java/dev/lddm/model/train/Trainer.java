package dev.lddm.model.train;

import dev.lddm.model.ModelConfig;
import dev.lddm.model.graph.AdamW;
import dev.lddm.model.graph.Dropout;
import dev.lddm.model.graph.ModelGraph;
import dev.lddm.model.graph.OpNames;
import dev.lddm.model.graph.Tensors;
import dev.lddm.model.graph.Towers;
import dev.lddm.tasks.Example;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;

/**
 * Trains an MGDM or LDDM model with MGDM's objective (see {@link dev.lddm.model.graph.DiffusionLoss}), or the
 * AR baseline with next-token cross-entropy on the output part ({@link dev.lddm.model.graph.NextTokenLoss}; the
 * same AdamW, schedule, clipping, checkpoints and resume, and no random draws besides the data order and, when
 * on, dropout).
 *
 * <p>Per step: the batch, masks, timesteps and (LDDM) the self-conditioning coin come from
 * {@code (seed, step)} on the Java side and are fed; the learning rate ({@link TrainSpec#learningRate}) and
 * Adam's bias corrections are fed; one {@code Session.run}. LDDM (ahn-ml/lddm, paper Section 3.2): with
 * probability {@code selfCondRate} the step runs the two-pass target ({@code h_0} from a pass with
 * {@code h = 0}, then the loss of a pass conditioned on {@code stopGradient(h_0)}), otherwise the
 * single-pass target with {@code h = 0}; both share variables and AdamW slots. With {@link TrainSpec#dropout} > 0
 * the graph drops at GPT-2's sites ({@link Dropout}; LDDM: in both passes, as ahn-ml/lddm runs pass 1 in train
 * mode) with masks from {@code (seed, step)}, fed as {@link OpNames#DROPOUT_SEEDS}; a batch is always full, so
 * the masks' static shapes fit every step.
 *
 * <p>Determinism: with the same spec, data and thread settings the losses are bit-identical, and a run
 * resumed from a checkpoint at step k reproduces the uninterrupted run's losses after k.
 */
public final class Trainer {
  private Trainer() {}

  /** What {@link #train} does with checkpoints already in the run directory. */
  public enum Start {
    /** A new run: the directory must not hold checkpoints (it may not exist yet). */
    FRESH,
    /** Continue a run: the directory must hold a checkpoint (the newest intact one is used). */
    RESUME,
    /**
     * Continue from the newest intact checkpoint when there is one, else start fresh: for callers that
     * rerun an interrupted job that may have stopped before its first checkpoint (suite cells).
     */
    RESUME_IF_PRESENT
  }

  /**
   * As {@link #train(TrainSpec, List, int, Path, Start, TrainListener, Consumer)} with {@code resume} meaning
   * {@link Start#RESUME_IF_PRESENT} and warnings printed to {@code System.err}.
   */
  public static TrainResult train(TrainSpec spec, List<Example> trainData, int seqLen, Path runDir, boolean resume,
                                  TrainListener listener) {
    return train(spec, trainData, seqLen, runDir, resume ? Start.RESUME_IF_PRESENT : Start.FRESH, listener,
        w -> System.err.println("warning: " + w));
  }

  /**
   * Checks, without building a model or reading training data, that {@link #train} would accept this
   * spec and run directory: the checkpoints present fit {@code start}, and a run to continue was trained
   * with the same settings ({@link TrainSpec#resumeMismatch}) and model shape. Writes nothing.
   *
   * @throws IllegalArgumentException with a one-line reason naming the setting and both values
   * @throws UncheckedIOException when checkpoints exist but none is readable
   */
  public static void check(TrainSpec spec, int seqLen, Path runDir, Start start) {
    resumePoint(spec, seqLen, runDir, start, new ArrayList<>());
  }

  /**
   * Trains, writing checkpoints and the log under {@code runDir}. When continuing, the newest checkpoint
   * that is intact (files present, {@code config.json} parses, TensorFlow restores it) is used; each newer
   * one passed over is reported to {@code warnings} (one line naming it and why) and is overwritten when
   * training reaches its step again.
   *
   * @param trainData the training examples (every one must fit {@code seqLen})
   * @param seqLen the task's sequence length
   * @param start whether to continue from a checkpoint in {@code runDir} (see {@link Start})
   * @param warnings receives one-line warnings (skipped checkpoints); never the errors below
   * @throws IllegalArgumentException (before any step and before anything is written) for an invalid spec,
   *     data that does not fit, an unknown preset, checkpoints with {@link Start#FRESH}, none with
   *     {@link Start#RESUME}, or a checkpoint trained with other settings, model shape or data
   * @throws UncheckedIOException when checkpoints exist but none is intact, or one cannot be written
   */
  public static TrainResult train(TrainSpec spec, List<Example> trainData, int seqLen, Path runDir, Start start,
                                  TrainListener listener, Consumer<String> warnings) {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(trainData, "trainData");
    Objects.requireNonNull(runDir, "runDir");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(warnings, "warnings");
    TrainListener out = listener == null ? TrainListener.NONE : listener;
    ModelConfig config = spec.modelConfig(seqLen);
    Batches batches = new Batches(trainData, seqLen, spec.batch(), spec.seed(), spec.kind(), spec.selfCondRate());
    Optional<Checkpoints.Candidate> newest = resumePoint(spec, seqLen, runDir, start, new ArrayList<>());
    if (newest.isPresent()) {
      checkData(newest.get(), batches);
    }
    try {
      Files.createDirectories(runDir);
      try (ModelGraph g = ModelGraph.build(config, ModelGraph.Mode.TRAINING, spec.seed(), (float) spec.weightDecay(),
          new Dropout(spec.dropout(), spec.batch()), Towers.count(spec.batch()),
          ModelGraph.sessionConfig(spec.intraOpThreads(), spec.interOpThreads()))) {
        if (newest.isEmpty()) {
          g.initialize();
          return loop(spec, config, batches, g, runDir, 0, 0, new ArrayList<>(), null, List.of(), out);
        }
        List<String> skipped = new ArrayList<>();
        Checkpoints.Candidate from = restoreNewestIntact(spec, config, batches, g, runDir, skipped);
        for (String s : skipped) {
          warnings.accept(s + "; skipped it, resuming from " + from.dir().getFileName());
        }
        return loop(spec, config, batches, g, runDir, from.meta().step(), from.meta().elapsedSeconds(),
            Checkpoints.readLog(from.dir()), from.dir(), from.meta().cpus(), out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  /**
   * The newest readable checkpoint to continue from (empty: start fresh), after checking it against
   * {@code start}, the spec's settings and the model shape. Unreadable newer ones are added to
   * {@code skipped}.
   */
  private static Optional<Checkpoints.Candidate> resumePoint(TrainSpec spec, int seqLen, Path runDir, Start start,
                                                             List<String> skipped) {
    ModelConfig config = spec.modelConfig(seqLen);
    List<Path> all = Checkpoints.newestFirst(runDir);
    if (start == Start.FRESH && !all.isEmpty()) {
      throw new IllegalArgumentException("run directory " + runDir + " already has checkpoints ("
          + all.get(0).getFileName() + "); pass --resume to continue it or use a new --out");
    }
    if (all.isEmpty()) {
      if (start == Start.RESUME) {
        throw new IllegalArgumentException("--resume: " + runDir + " has no checkpoint to resume; drop --resume to "
            + "start a new run");
      }
      return Optional.empty();
    }
    Optional<Checkpoints.Candidate> newest;
    try {
      newest = Checkpoints.newestReadable(runDir, skipped);
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
    newest.ifPresent(c -> checkSettings(c, spec, config));
    return newest;
  }

  /** A checkpoint fits this run: same settings ({@link TrainSpec#resumeMismatch}) and model shape. */
  private static void checkSettings(Checkpoints.Candidate c, TrainSpec spec, ModelConfig config) {
    spec.resumeMismatch(c.meta().train()).ifPresent(m -> {
      throw new IllegalArgumentException("--resume: the run was trained with " + m
          + "; use a new --out or the same value");
    });
    Checkpoints.checkCompatible(c.meta(), config, c.dir());
  }

  private static void checkData(Checkpoints.Candidate c, Batches batches) {
    if (c.meta().dataFingerprint() != batches.fingerprint()) {
      throw new IllegalArgumentException("--resume: the run was trained on other data (" + c.meta().dataSize()
          + " examples) than given now (" + batches.size() + " examples); use a new --out or the same --task, "
          + "--data-seed and --train-size");
    }
  }

  /**
   * Restores the newest checkpoint that TensorFlow can read into {@code g}, newest first. A failed restore
   * (a truncated data file) or an unreadable checkpoint is added to {@code skipped} (one line naming it and
   * why) and the next older one is tried: every restore assigns every variable, so nothing of a failed
   * attempt survives.
   *
   * @throws IOException when none restores
   */
  private static Checkpoints.Candidate restoreNewestIntact(TrainSpec spec, ModelConfig config, Batches batches,
                                                           ModelGraph g, Path runDir, List<String> skipped)
      throws IOException {
    List<String> reasons = new ArrayList<>();
    for (Path p : Checkpoints.newestFirst(runDir)) {
      Checkpoints.Meta meta;
      try {
        meta = Checkpoints.readMeta(p);
      } catch (IOException e) {
        reasons.add(Checkpoints.oneLine(e.getMessage()));
        continue;
      }
      Checkpoints.Candidate c = new Checkpoints.Candidate(p, meta);
      checkSettings(c, spec, config);
      checkData(c, batches);
      try {
        g.restore(p.resolve(Checkpoints.PREFIX));
        skipped.addAll(reasons);
        return c;
      } catch (RuntimeException e) {
        reasons.add(Checkpoints.restoreFailure(p, e));
      }
    }
    throw Checkpoints.noneIntact(runDir, reasons);
  }

  private static TrainResult loop(TrainSpec spec, ModelConfig config, Batches batches, ModelGraph g, Path runDir,
                                  long startStep, double priorElapsed, List<String> log, Path resumedFrom,
                                  List<String> priorCpus, TrainListener out) throws IOException {
    // A checkpoint from before the record: its steps ran somewhere unknown, which is not this CPU's to claim.
    List<String> prior = startStep > 0 && priorCpus.isEmpty() ? List.of(Checkpoints.UNKNOWN_CPU) : priorCpus;
    List<String> cpus = Checkpoints.cpusThen(prior, dev.lddm.model.HostCpu.describe());
    Session session = g.session();
    int b = spec.batch();
    int l = config.seqLen();
    boolean lddm = config.kind().hasLatent();
    boolean ar = config.kind().isAutoregressive();
    boolean dropout = spec.dropout() > 0;
    int sites = Dropout.sites(config);
    long total = spec.timeBounded() ? -1 : spec.steps();
    double budget = spec.minutes() * 60.0;
    long t0 = System.nanoTime();
    long step = startStep;
    double loss = Double.NaN;
    double tokensPerSecond = 0;
    double elapsed = priorElapsed;
    Path lastCkpt = resumedFrom;
    long lastSaved = startStep;
    while (spec.timeBounded() ? elapsed < budget : step < spec.steps()) {
      Batches.Batch batch = batches.make(step);
      boolean sc = lddm && batch.selfCond();
      double lr = spec.learningRate(step);
      long k = step + 1;
      float bc1 = (float) (1 - Math.pow(AdamW.BETA1, k));
      float bc2 = (float) (1 - Math.pow(AdamW.BETA2, k));
      try (Tensor tokens = Tensors.ints(batch.tokens(), b, l);
           Tensor targets = Tensors.ints(batch.targets(), b, l);
           Tensor mask = Tensors.floats(batch.lossMask(), b, l);
           Tensor tw = ar ? null : Tensors.floats(batch.timeWeight(), b);
           Tensor lrT = Tensors.scalar((float) lr);
           Tensor bc1T = Tensors.scalar(bc1);
           Tensor bc2T = Tensors.scalar(bc2);
           Tensor seeds = dropout ? Tensors.longs(Dropout.seeds(config, spec.seed(), step), sites, 2) : null;
           Result r = feedDropoutSeeds(feedTimeWeight(session.runner(), tw), seeds)
               .feed(OpNames.TOKENS, tokens).feed(OpNames.TARGETS, targets).feed(OpNames.LOSS_MASK, mask)
               .feed(OpNames.LR, lrT).feed(OpNames.ADAM_BC1, bc1T)
               .feed(OpNames.ADAM_BC2, bc2T)
               .fetch(sc ? OpNames.LOSS_SC : OpNames.LOSS)
               .addTarget(sc ? OpNames.TRAIN_SC : OpNames.TRAIN)
               .run()) {
        loss = Tensors.readScalar(r.get(0));
      }
      step++;
      double session_s = (System.nanoTime() - t0) / 1e9;
      elapsed = priorElapsed + session_s;
      tokensPerSecond = (step - startStep) * (double) b * l / Math.max(session_s, 1e-9);
      log.add(String.format(Locale.ROOT, "%d,%s,%s,%.1f,%.3f,%d", step, Float.toString((float) loss),
          Double.toString(lr), tokensPerSecond, elapsed, sc ? 1 : 0));
      out.onStep(step, total, loss, tokensPerSecond, elapsed);
      if (spec.checkpointEvery() > 0 && step % spec.checkpointEvery() == 0) {
        lastCkpt = save(spec, config, batches, g, runDir, step, elapsed, cpus, log);
        lastSaved = step;
        out.onCheckpoint(step, lastCkpt);
      }
    }
    if (lastSaved != step || lastCkpt == null) {
      lastCkpt = save(spec, config, batches, g, runDir, step, elapsed, cpus, log);
      out.onCheckpoint(step, lastCkpt);
    }
    return new TrainResult(runDir, lastCkpt, config, startStep, step, loss, elapsed, tokensPerSecond);
  }

  /** Feeds this step's dropout seeds; a graph without dropout has no seed input ({@code seeds == null}). */
  private static Session.Runner feedDropoutSeeds(Session.Runner runner, Tensor seeds) {
    return seeds == null ? runner : runner.feed(OpNames.DROPOUT_SEEDS, seeds);
  }

  /** Feeds the diffusion time weights; the AR graph has none ({@code tw == null}). */
  private static Session.Runner feedTimeWeight(Session.Runner runner, Tensor tw) {
    return tw == null ? runner : runner.feed(OpNames.TIME_WEIGHT, tw);
  }

  private static Path save(TrainSpec spec, ModelConfig config, Batches batches, ModelGraph g, Path runDir, long step,
                           double elapsed, List<String> cpus, List<String> log) throws IOException {
    Checkpoints.Meta meta = new Checkpoints.Meta(1, step, config, spec, batches.fingerprint(), batches.size(), elapsed,
        cpus);
    return Checkpoints.write(runDir, step, g::save, meta, spec.intraOpThreads(), spec.interOpThreads(), log);
  }
}
