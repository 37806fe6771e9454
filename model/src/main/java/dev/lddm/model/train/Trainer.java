package dev.lddm.model.train;

import dev.lddm.model.ModelConfig;
import dev.lddm.model.graph.AdamW;
import dev.lddm.model.graph.ModelGraph;
import dev.lddm.model.graph.OpNames;
import dev.lddm.model.graph.Tensors;
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
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;

/**
 * Trains an MGDM or LDDM model with MGDM's objective (see {@link dev.lddm.model.graph.DiffusionLoss}), or the
 * AR baseline with next-token cross-entropy on the output part ({@link dev.lddm.model.graph.NextTokenLoss}; the
 * same AdamW, schedule, clipping, checkpoints and resume, and no random draws besides the data order).
 *
 * <p>Per step: the batch, masks, timesteps and (LDDM) the self-conditioning coin come from
 * {@code (seed, step)} on the Java side and are fed; the learning rate ({@link TrainSpec#learningRate}) and
 * Adam's bias corrections are fed; one {@code Session.run}. LDDM (ahn-ml/lddm, paper Section 3.2): with
 * probability {@code selfCondRate} the step runs the two-pass target ({@code h_0} from a pass with
 * {@code h = 0}, then the loss of a pass conditioned on {@code stopGradient(h_0)}), otherwise the
 * single-pass target with {@code h = 0}; both share variables and AdamW slots.
 *
 * <p>Determinism: with the same spec, data and thread settings the losses are bit-identical, and a run
 * resumed from a checkpoint at step k reproduces the uninterrupted run's losses after k.
 */
public final class Trainer {
  private Trainer() {}

  /**
   * Trains, writing checkpoints and the log under {@code runDir}.
   *
   * @param trainData the training examples (every one must fit {@code seqLen})
   * @param seqLen the task's sequence length
   * @param resume continue from the latest checkpoint in {@code runDir} (a fresh start when there is none);
   *     when false, {@code runDir} must not hold checkpoints yet
   * @throws IllegalArgumentException for an invalid spec, data that does not fit, an unknown preset, existing
   *     checkpoints without {@code resume}, or a checkpoint of another kind/preset/seqLen/data
   * @throws UncheckedIOException when a checkpoint is incomplete, corrupt or cannot be written
   */
  public static TrainResult train(TrainSpec spec, List<Example> trainData, int seqLen, Path runDir, boolean resume,
                                  TrainListener listener) {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(trainData, "trainData");
    Objects.requireNonNull(runDir, "runDir");
    TrainListener out = listener == null ? TrainListener.NONE : listener;
    ModelConfig config = ModelConfig.preset(spec.kind(), spec.preset(), seqLen, spec.selfCondRate());
    Batches batches = new Batches(trainData, seqLen, spec.batch(), spec.seed(), spec.kind(), spec.selfCondRate());
    try {
      Files.createDirectories(runDir);
      Optional<Path> latest = Checkpoints.latest(runDir);
      if (latest.isPresent() && !resume) {
        throw new IllegalArgumentException("run directory " + runDir + " already has checkpoints ("
            + latest.get().getFileName() + "); resume it or use a new directory");
      }
      long startStep = 0;
      double priorElapsed = 0;
      List<String> log = new ArrayList<>();
      Checkpoints.Meta meta = null;
      if (resume && latest.isPresent()) {
        meta = Checkpoints.readMeta(latest.get());
        Checkpoints.checkCompatible(meta, config, latest.get());
        if (meta.dataFingerprint() != batches.fingerprint()) {
          throw new IllegalArgumentException("checkpoint " + latest.get() + " was trained on other data ("
              + meta.dataSize() + " examples) than given (" + batches.size() + " examples)");
        }
        if (meta.train().seed() != spec.seed() || meta.train().batch() != spec.batch()) {
          throw new IllegalArgumentException("checkpoint " + latest.get() + " used seed " + meta.train().seed()
              + " and batch " + meta.train().batch() + "; this run asks for seed " + spec.seed() + " and batch "
              + spec.batch());
        }
        startStep = meta.step();
        priorElapsed = meta.elapsedSeconds();
        log = Checkpoints.readLog(latest.get());
      }
      try (ModelGraph g = ModelGraph.build(config, ModelGraph.Mode.TRAINING, spec.seed(), (float) spec.weightDecay(),
          ModelGraph.sessionConfig(spec.intraOpThreads(), spec.interOpThreads()))) {
        if (meta != null) {
          try {
            g.restore(latest.get().resolve(Checkpoints.PREFIX));
          } catch (RuntimeException e) {
            throw new IOException("cannot restore " + latest.get() + ": " + Checkpoints.oneLine(e.getMessage()));
          }
        } else {
          g.initialize();
        }
        return loop(spec, config, batches, g, runDir, startStep, priorElapsed, log, out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  private static TrainResult loop(TrainSpec spec, ModelConfig config, Batches batches, ModelGraph g, Path runDir,
                                  long startStep, double priorElapsed, List<String> log, TrainListener out)
      throws IOException {
    Session session = g.session();
    int b = spec.batch();
    int l = config.seqLen();
    boolean lddm = config.kind().hasLatent();
    boolean ar = config.kind().isAutoregressive();
    long total = spec.timeBounded() ? -1 : spec.steps();
    double budget = spec.minutes() * 60.0;
    long t0 = System.nanoTime();
    long step = startStep;
    double loss = Double.NaN;
    double tokensPerSecond = 0;
    double elapsed = priorElapsed;
    Path lastCkpt = Checkpoints.latest(runDir).orElse(null);
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
           Result r = feedTimeWeight(session.runner(), tw)
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
        lastCkpt = save(spec, config, batches, g, runDir, step, elapsed, log);
        lastSaved = step;
        out.onCheckpoint(step, lastCkpt);
      }
    }
    if (lastSaved != step || lastCkpt == null) {
      lastCkpt = save(spec, config, batches, g, runDir, step, elapsed, log);
      out.onCheckpoint(step, lastCkpt);
    }
    return new TrainResult(runDir, lastCkpt, config, startStep, step, loss, elapsed, tokensPerSecond);
  }

  /** Feeds the diffusion time weights; the AR graph has none ({@code tw == null}). */
  private static Session.Runner feedTimeWeight(Session.Runner runner, Tensor tw) {
    return tw == null ? runner : runner.feed(OpNames.TIME_WEIGHT, tw);
  }

  private static Path save(TrainSpec spec, ModelConfig config, Batches batches, ModelGraph g, Path runDir, long step,
                           double elapsed, List<String> log) throws IOException {
    Checkpoints.Meta meta = new Checkpoints.Meta(1, step, config, spec, batches.fingerprint(), batches.size(), elapsed);
    return Checkpoints.write(runDir, step, g::save, meta, spec.intraOpThreads(), spec.interOpThreads(), log);
  }
}
