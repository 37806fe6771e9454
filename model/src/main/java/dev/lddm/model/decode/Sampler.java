package dev.lddm.model.decode;

import dev.lddm.model.ModelConfig;
import dev.lddm.model.Precision;
import dev.lddm.model.graph.ModelGraph;
import dev.lddm.model.graph.OpNames;
import dev.lddm.model.train.Checkpoints;
import dev.lddm.tasks.token.TokenFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Decodes answers with a trained model: MGDM's top-k confidence decoder (HKUNLP/diffusion-vs-ar
 * {@code trainer.py}: {@code generate_samples}, {@code topk_decoding}, {@code topk_masking}, run with
 * {@code --decoding_strategy stochastic0.5-linear --topk_decoding True}).
 *
 * <p>Per step {@code s = 0..S-1} with {@code t = S-1-s}: one forward pass on the current sequence; at each
 * target position the argmax token (never {@code [MASK]}) and its log-probability; if {@code t > 0}, with
 * {@code rate = t/S}, the {@code k = floor(n·rate)} positions with the lowest
 * {@code logp + 0.5·rate·Gumbel} are (re-)masked ({@code n} = number of target positions; Gumbel
 * {@code -log(-log(u + 1e-8) + 1e-8)} as in MGDM); at {@code t = 0} everything is unmasked. Source positions
 * (input and {@code [SEP]}) are never changed. LDDM: the latent starts at 0 and each step's
 * {@link OpNames#LATENT_OUT} is fed to the next step ({@link DecodeOptions#latent()},
 * {@link DecodeOptions#latentReset()} ablate this).
 *
 * <p>AR ({@link dev.lddm.model.ModelKind#isAutoregressive}): greedy left-to-right generation. The sequence
 * starts as {@code input [SEP]} followed by {@code [PAD]}; for {@code p = src, src+1, ...} one causal forward
 * pass over the whole padded batch and {@code x[p] = argmax logits[p-1]} (over the full vocabulary; the
 * causal mask makes positions {@code >= p} irrelevant), until {@code [EOS]} is generated or the sequence is full.
 * Positions after {@code [EOS]} stay {@code [PAD]}. Every {@link DecodeOptions} field except {@code batch}
 * (steps, decoder, seed, latent, latent reset) is ignored: greedy decoding is deterministic. The observer is
 * called once per example and generated position (see {@link DecodeObserver}).
 *
 * <p>Inputs that do not fit (source {@code input [SEP]} leaves no target position within {@code seqLen}, or a
 * character outside the vocabulary) are not decoded: their prediction is the empty string, which never
 * verifies. Not thread-safe; one sampler per thread.
 *
 * <p>Two implementations give the same sequences bit for bit: without an observer the fast path
 * ({@code FastDecoding}: [B, L] reductions of the logits computed in the graph, the LDDM latent kept in
 * TensorFlow, at most 48 sequences per {@code Session.run}); with an observer the reference path
 * ({@code ReferenceDecoding}: the full logits copied to Java every step, as the observer needs them).
 */
public final class Sampler implements AutoCloseable {
  private final ModelGraph graph;
  private final Path checkpoint;
  private final FastDecoding fast;
  private int workers;

  private Sampler(ModelGraph graph, Path checkpoint, int workers) {
    this.graph = graph;
    this.checkpoint = checkpoint;
    this.fast = new FastDecoding(graph);
    this.workers = workers;
  }

  /**
   * How many runs of the fast path decode at once (each on its own Java thread with its own
   * {@code Session.run} calls; default: the larger of the intra- and inter-op thread counts the sampler was built
   * with, 0 meaning every core). Runs at once proceed in parallel only with an inter-op pool of at least as many
   * threads: build a decoding sampler with {@code (1, n)} for n cores. The sequences do not depend on it (see
   * {@code FastDecoding#decode}); the reference path (with an observer) is sequential.
   *
   * @throws IllegalArgumentException when {@code n < 1}
   */
  public void setDecodeWorkers(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("decode workers must be at least 1, got " + n);
    }
    this.workers = n;
  }

  /**
   * Loads the newest intact checkpoint of a run into a fresh inference graph (no optimizer), 1 intra/inter
   * thread; skipped checkpoints are reported on {@code System.err}.
   *
   * @throws IllegalArgumentException when the run has no checkpoint
   * @throws UncheckedIOException when no checkpoint is intact (one-line message)
   */
  public static Sampler load(Path runDir) {
    return load(runDir, 1, 1);
  }

  /** As {@link #load(Path)} with explicit TensorFlow thread counts. */
  public static Sampler load(Path runDir, int intraOpThreads, int interOpThreads) {
    return load(runDir, intraOpThreads, interOpThreads, w -> System.err.println("warning: " + w));
  }

  /**
   * Loads the newest intact checkpoint of a run: its files are present, its {@code config.json} parses
   * and TensorFlow restores it (a truncated data file passes the first two checks). Each newer checkpoint
   * passed over is reported to {@code warnings}, one line naming it, why, and the one used
   * ({@link #checkpoint()}).
   *
   * @throws IllegalArgumentException when the run has no checkpoint
   * @throws UncheckedIOException when none is intact (one line listing each and why)
   */
  public static Sampler load(Path runDir, int intraOpThreads, int interOpThreads, Consumer<String> warnings) {
    return load(runDir, intraOpThreads, interOpThreads, null, warnings);
  }

  /**
   * As {@link #load(Path, int, int, Consumer)}, building the graph in {@code precision} instead of the
   * precision the model was trained in ({@code null}: the checkpoint's, fp32 for checkpoints that do not
   * record one).
   */
  public static Sampler load(Path runDir, int intraOpThreads, int interOpThreads, Precision precision,
                             Consumer<String> warnings) {
    Objects.requireNonNull(warnings, "warnings");
    List<Path> all = Checkpoints.newestFirst(runDir);
    if (all.isEmpty()) {
      throw new IllegalArgumentException("no checkpoint under " + Checkpoints.dir(runDir));
    }
    List<String> skipped = new ArrayList<>();
    for (Path ckpt : all) {
      try {
        Sampler s = loadCheckpoint(ckpt, intraOpThreads, interOpThreads, precision);
        for (String w : skipped) {
          warnings.accept(w + "; skipped it, using " + ckpt.getFileName());
        }
        return s;
      } catch (UncheckedIOException e) {
        skipped.add(Checkpoints.oneLine(e.getMessage()));
      }
    }
    IOException none = Checkpoints.noneIntact(runDir, skipped);
    throw new UncheckedIOException(none.getMessage(), none);
  }

  /**
   * Loads one checkpoint directory ({@code runDir/checkpoints/step-XXXXXXX}).
   *
   * @throws UncheckedIOException (one line) when its files are missing, {@code config.json} does not parse
   *     or TensorFlow cannot restore it
   */
  public static Sampler loadCheckpoint(Path ckptDir, int intraOpThreads, int interOpThreads) {
    return loadCheckpoint(ckptDir, intraOpThreads, interOpThreads, null);
  }

  /** As {@link #loadCheckpoint(Path, int, int)} in {@code precision} ({@code null}: the checkpoint's). */
  public static Sampler loadCheckpoint(Path ckptDir, int intraOpThreads, int interOpThreads, Precision precision) {
    Checkpoints.Meta meta;
    try {
      meta = Checkpoints.readMeta(ckptDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
    ModelGraph g;
    try {
      ModelConfig model = precision == null ? meta.model() : meta.model().withPrecision(precision);
      g = ModelGraph.build(model, ModelGraph.Mode.INFERENCE, meta.train().seed(), 0f,
          ModelGraph.sessionConfig(intraOpThreads, interOpThreads));
    } catch (RuntimeException e) {
      String m = "checkpoint " + ckptDir + ": " + Checkpoints.CONFIG + " describes a model that cannot be built ("
          + Checkpoints.oneLine(e.getMessage()) + ")";
      throw new UncheckedIOException(m, new IOException(m, e));
    }
    try {
      g.restore(ckptDir.resolve(Checkpoints.PREFIX));
    } catch (RuntimeException e) {
      g.close();
      String m = Checkpoints.restoreFailure(ckptDir, e);
      throw new UncheckedIOException(m, new IOException(m, e));
    }
    return new Sampler(g, ckptDir, defaultWorkers(intraOpThreads, interOpThreads));
  }

  /**
   * A sampler over a freshly initialised model (weights a pure function of {@code seed}; nothing restored),
   * for benchmarks: decoding speed does not depend on the weights.
   */
  public static Sampler initialized(ModelConfig config, long seed, int intraOpThreads, int interOpThreads) {
    ModelGraph g = ModelGraph.build(config, ModelGraph.Mode.INFERENCE, seed, 0f,
        ModelGraph.sessionConfig(intraOpThreads, interOpThreads));
    try {
      g.initialize();
    } catch (RuntimeException e) {
      g.close();
      throw e;
    }
    return new Sampler(g, null, defaultWorkers(intraOpThreads, interOpThreads));
  }

  private static int defaultWorkers(int intraOpThreads, int interOpThreads) {
    int cores = Runtime.getRuntime().availableProcessors();
    return Math.max(intraOpThreads == 0 ? cores : intraOpThreads, interOpThreads == 0 ? cores : interOpThreads);
  }

  /** Wraps an already-initialised inference graph (tests). The sampler closes it. */
  static Sampler of(ModelGraph inferenceGraph) {
    if (inferenceGraph.mode() != ModelGraph.Mode.INFERENCE) {
      throw new IllegalArgumentException("need an inference graph");
    }
    return new Sampler(inferenceGraph, null, 1);
  }

  /** The underlying graph (tests in this package). */
  ModelGraph graphForTests() {
    return graph;
  }

  public ModelConfig config() {
    return graph.config();
  }

  /** The checkpoint directory this sampler was loaded from ({@code null} when built in memory). */
  public Path checkpoint() {
    return checkpoint;
  }

  /** Decoded output texts ({@link TokenFormat#decodeOutput}), one per input, in order. */
  public List<String> decode(List<String> inputs, DecodeOptions opts) {
    return decode(inputs, opts, null);
  }

  /** As {@link #decode(List, DecodeOptions)}, reporting every step's distributions to {@code observer}. */
  public List<String> decode(List<String> inputs, DecodeOptions opts, DecodeObserver observer) {
    List<int[]> ids = decodeIds(inputs, opts, observer);
    List<String> out = new ArrayList<>(ids.size());
    for (int[] row : ids) {
      out.add(row == null ? "" : TokenFormat.decodeOutput(row));
    }
    return out;
  }

  /**
   * The full decoded sequences (source and target ids), one per input; {@code null} for an input that does
   * not fit.
   */
  public List<int[]> decodeIds(List<String> inputs, DecodeOptions opts, DecodeObserver observer) {
    return decodeIds(inputs, opts, observer, false);
  }

  /** One forward pass: logits [B·L·V] and, for LDDM, the latent [B·L·d] (index 1). */
  float[][] forward(int[] tokens, int b, float[] latent) {
    return ReferenceDecoding.forward(graph, tokens, b, latent);
  }

  /** As {@link #decodeIds} without an observer, through the reference path (tests compare the fast path to it). */
  List<int[]> decodeIdsReference(List<String> inputs, DecodeOptions opts) {
    return decodeIds(inputs, opts, null, true);
  }

  /** The fast path's state (tests). */
  FastDecoding fastForTests() {
    return fast;
  }

  private List<int[]> decodeIds(List<String> inputs, DecodeOptions opts, DecodeObserver observer, boolean reference) {
    Objects.requireNonNull(inputs, "inputs");
    Objects.requireNonNull(opts, "opts");
    int l = graph.config().seqLen();
    List<Chunk> chunks = new ArrayList<>();
    for (int from = 0; from < inputs.size(); from += opts.batch()) {
      int to = Math.min(inputs.size(), from + opts.batch());
      chunks.add(Chunk.of(inputs.subList(from, to), from, opts.seed(), l));
    }
    if (observer == null && !reference) {
      return fast.decode(chunks, opts, workers);
    }
    List<int[]> out = new ArrayList<>(inputs.size());
    for (Chunk chunk : chunks) {
      out.addAll(ReferenceDecoding.decodeChunk(graph, chunk, opts, observer));
    }
    return out;
  }

  /**
   * Writes this sampler's weights without optimizer state (a third of a training checkpoint's size) as a run
   * directory that {@link #load(Path)} reads: {@code outRunDir/checkpoints/<the source's step directory>/} with
   * the TF files and the source's {@code config.json} and {@code provenance.json}. The checkpoint directory is
   * written under a temporary name and renamed, so it is complete or absent.
   *
   * @return the written checkpoint directory
   * @throws IllegalStateException when the sampler was built in memory (it has no source checkpoint)
   * @throws IOException when a file cannot be written
   */
  public Path exportTo(Path outRunDir) throws IOException {
    if (checkpoint == null) {
      throw new IllegalStateException("an in-memory sampler has no checkpoint to export");
    }
    Path dir = Checkpoints.dir(outRunDir);
    java.nio.file.Files.createDirectories(dir);
    Path target = dir.resolve(checkpoint.getFileName());
    if (java.nio.file.Files.exists(target)) {
      throw new IllegalArgumentException(target + " exists already; export into a new directory");
    }
    Path tmp = dir.resolve(".tmp-export-" + System.nanoTime());
    java.nio.file.Files.createDirectories(tmp);
    graph.save(tmp.resolve(Checkpoints.PREFIX));
    for (String f : List.of(Checkpoints.CONFIG, Checkpoints.PROVENANCE)) {
      java.nio.file.Files.copy(checkpoint.resolve(f), tmp.resolve(f));
    }
    java.nio.file.Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return target;
  }

  @Override
  public void close() {
    graph.close();
  }
}
