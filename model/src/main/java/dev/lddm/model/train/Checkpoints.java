package dev.lddm.model.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import dev.lddm.model.ModelConfig;
import dev.lddm.model.ModelKind;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.tensorflow.TensorFlow;

/**
 * The on-disk layout of a run:
 *
 * <pre>
 * runDir/train_log.csv                         step,loss,lr,tokens_per_s,elapsed_s,self_cond (rewritten atomically)
 * runDir/checkpoints/step-0000300/model.index  TF checkpoint (prefix "model"), all variables incl. AdamW slots
 * runDir/checkpoints/step-0000300/model.data-00000-of-00001
 * runDir/checkpoints/step-0000300/config.json  {"format":1,"step":..,"model":{..},"train":{..},...}
 * runDir/checkpoints/step-0000300/provenance.json
 * runDir/checkpoints/step-0000300/train_log.csv the log up to this step (restored on resume)
 * runDir/tensorboard/events.out.tfevents.*     TensorBoard scalars, one file per session (harness runs:
 *                                              {@link TensorBoardLog})
 * </pre>
 *
 * A checkpoint is written into {@code checkpoints/.tmp-step-...} and renamed with {@code ATOMIC_MOVE}: a
 * {@code step-*} directory is always complete.
 */
public final class Checkpoints {
  /** The TF checkpoint prefix inside a checkpoint directory. */
  public static final String PREFIX = "model";
  public static final String CONFIG = "config.json";
  public static final String PROVENANCE = "provenance.json";
  public static final String LOG = "train_log.csv";
  public static final String LOG_HEADER = "step,loss,lr,tokens_per_s,elapsed_s,self_cond";
  /** Version of the TF Java artifacts this module is built against. */
  public static final String TF_JAVA_VERSION = "1.1.0";
  private static final Pattern STEP_DIR = Pattern.compile("step-(\\d{7,})");
  static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

  private Checkpoints() {}

  /**
   * What {@code config.json} holds.
   *
   * @param cpus the CPUs that trained the model up to this step, in order, each named by
   *     {@link dev.lddm.model.HostCpu#describe()} and listed again only after another (a run resumed on another
   *     kind of machine lists both); empty in checkpoints written before the record existed, and
   *     {@link #UNKNOWN_CPU} first in those resumed from one
   */
  public record Meta(int format, long step, ModelConfig model, TrainSpec train, long dataFingerprint, int dataSize,
                     double elapsedSeconds, List<String> cpus) {
    public Meta {
      cpus = cpus == null ? List.of() : List.copyOf(cpus);
    }
  }

  /** What {@link Meta#cpus()} lists for the steps of a checkpoint written before the record existed. */
  public static final String UNKNOWN_CPU = "unknown";

  /** The CPUs of a run that continues on {@code cpu} after {@code prior}: {@code cpu} appended unless it is last. */
  static List<String> cpusThen(List<String> prior, String cpu) {
    if (!prior.isEmpty() && prior.get(prior.size() - 1).equals(cpu)) {
      return List.copyOf(prior);
    }
    List<String> c = new ArrayList<>(prior);
    c.add(cpu);
    return List.copyOf(c);
  }

  /** {@code runDir/checkpoints}. */
  public static Path dir(Path runDir) {
    return runDir.resolve("checkpoints");
  }

  /** The directory name of a step: {@code step-0000300}. */
  public static String name(long step) {
    return String.format(Locale.ROOT, "step-%07d", step);
  }

  /**
   * The newest checkpoint directory of a run, if any. It may still be unreadable (a file deleted or
   * truncated by hand, a full disk): callers that load it use {@link #newestFirst} and fall back.
   */
  public static Optional<Path> latest(Path runDir) {
    return newestFirst(runDir).stream().findFirst();
  }

  /** Every checkpoint directory ({@code step-*}) of a run, newest (highest step) first; empty when none. */
  public static List<Path> newestFirst(Path runDir) {
    Path d = dir(runDir);
    if (!Files.isDirectory(d)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(d)) {
      return s.filter(p -> STEP_DIR.matcher(p.getFileName().toString()).matches() && Files.isDirectory(p))
          .sorted(Comparator.comparingLong(Checkpoints::stepOf).reversed())
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The newest checkpoint of a run whose files are present and whose {@code config.json} parses
   * ({@link #readMeta}); older ones are tried when a newer one is unreadable. Whether TensorFlow can restore
   * it is checked only by loading it ({@link Trainer#train}, {@code Sampler.load}).
   *
   * @param skipped receives one line per newer checkpoint that was passed over, naming it and why
   * @return empty when the run has no checkpoint directory at all
   * @throws IOException (one line, every checkpoint and its defect) when checkpoints exist but none is readable
   */
  public static Optional<Candidate> newestReadable(Path runDir, List<String> skipped) throws IOException {
    List<Path> all = newestFirst(runDir);
    List<String> reasons = new ArrayList<>();
    for (Path p : all) {
      try {
        Candidate r = new Candidate(p, readMeta(p));
        skipped.addAll(reasons);
        return Optional.of(r);
      } catch (IOException e) {
        reasons.add(oneLine(e.getMessage()));
      }
    }
    if (all.isEmpty()) {
      return Optional.empty();
    }
    throw noneIntact(runDir, reasons);
  }

  /** A checkpoint directory with its parsed {@code config.json}. */
  public record Candidate(Path dir, Meta meta) {}

  /**
   * One line saying that TensorFlow could not restore a checkpoint (typically a truncated
   * {@code model.data-*} file), with TensorFlow's reason shortened.
   */
  public static String restoreFailure(Path ckpt, RuntimeException e) {
    // TF appends the failing node, e.g. "[[{{node save/Restore}}]]": noise for a user.
    String tf = oneLine(String.valueOf(e.getMessage()).replaceAll("\\[\\[\\{\\{node [^}]*\\}\\}\\]\\]", ""));
    if (tf.length() > 200) {
      tf = tf.substring(0, 200) + "...";
    }
    return "checkpoint " + ckpt + ": TensorFlow cannot restore it (" + tf + ")";
  }

  /** The error when every checkpoint of a run is unusable: one line listing each and why. */
  public static IOException noneIntact(Path runDir, List<String> reasons) {
    return new IOException("no intact checkpoint under " + dir(runDir) + " (" + String.join("; ", reasons)
        + "); train again with a new --out");
  }

  /** The training step of a checkpoint directory ({@code step-0001000} → 1000). */
  public static long stepOf(Path dir) {
    Matcher m = STEP_DIR.matcher(dir.getFileName().toString());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a checkpoint directory: " + dir);
    }
    return Long.parseLong(m.group(1));
  }

  /**
   * Reads and checks {@code config.json} and the TF files of a checkpoint directory. A truncated TF data file
   * passes this check; only restoring it shows the damage.
   *
   * @throws IOException with a one-line message {@code checkpoint DIR: <defect>} when files are missing or
   *     {@code config.json} does not parse
   */
  public static Meta readMeta(Path ckpt) throws IOException {
    Path cfg = ckpt.resolve(CONFIG);
    for (Path p : List.of(cfg, ckpt.resolve(PREFIX + ".index"))) {
      if (!Files.isRegularFile(p)) {
        throw new IOException("checkpoint " + ckpt + ": missing " + p.getFileName());
      }
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(ckpt, PREFIX + ".data-*")) {
      if (!ds.iterator().hasNext()) {
        throw new IOException("checkpoint " + ckpt + ": missing " + PREFIX + ".data-*");
      }
    }
    String text;
    try {
      text = Files.readString(cfg, StandardCharsets.UTF_8);
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new IOException("checkpoint " + ckpt + ": " + CONFIG + " is not UTF-8 text");
    }
    try {
      JsonReader strict = new JsonReader(new StringReader(text));
      strict.setStrictness(Strictness.STRICT);
      JsonParser.parseReader(strict);
    } catch (RuntimeException e) {
      throw new IOException("checkpoint " + ckpt + ": " + CONFIG + " is not valid JSON");
    }
    Meta meta;
    try {
      meta = GSON.fromJson(text, Meta.class);
    } catch (RuntimeException e) {
      // Our own record checks say which value is wrong; Gson's type errors would show Java internals.
      Throwable root = e;
      while (root.getCause() != null && !(root instanceof IllegalArgumentException)) {
        root = root.getCause();
      }
      boolean ours = root instanceof IllegalArgumentException && !(root instanceof NumberFormatException);
      throw new IOException("checkpoint " + ckpt + ": " + CONFIG + " does not describe a checkpoint"
          + (ours ? " (" + oneLine(root.getMessage()) + ")" : ""));
    }
    if (meta == null || meta.model() == null || meta.train() == null || meta.format() != 1) {
      throw new IOException("checkpoint " + ckpt + ": " + CONFIG + " lacks its model/train sections or has an "
          + "unknown format");
    }
    return meta;
  }

  /** Writes a complete checkpoint atomically; returns its final directory. */
  static Path write(Path runDir, long step, Saver saver, Meta meta, int intra, int inter, List<String> logRows)
      throws IOException {
    Path d = dir(runDir);
    Files.createDirectories(d);
    Path tmp = d.resolve(".tmp-" + name(step) + "-" + System.nanoTime());
    Files.createDirectories(tmp);
    saver.save(tmp.resolve(PREFIX));
    Files.writeString(tmp.resolve(CONFIG), GSON.toJson(meta), StandardCharsets.UTF_8);
    Files.writeString(tmp.resolve(PROVENANCE), provenance(intra, inter), StandardCharsets.UTF_8);
    Files.write(tmp.resolve(LOG), withHeader(logRows), StandardCharsets.UTF_8);
    Path target = d.resolve(name(step));
    if (Files.exists(target)) {
      deleteRecursively(target);
    }
    moveAtomically(tmp, target);
    writeAtomically(runDir.resolve(LOG), withHeader(logRows));
    return target;
  }

  /** The log rows (without header) stored in a checkpoint. */
  static List<String> readLog(Path ckpt) throws IOException {
    Path p = ckpt.resolve(LOG);
    if (!Files.isRegularFile(p)) {
      return new ArrayList<>();
    }
    List<String> lines = new ArrayList<>(Files.readAllLines(p, StandardCharsets.UTF_8));
    if (!lines.isEmpty() && lines.get(0).equals(LOG_HEADER)) {
      lines.remove(0);
    }
    return lines;
  }

  static void writeAtomically(Path file, List<String> lines) throws IOException {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp-" + System.nanoTime());
    Files.write(tmp, lines, StandardCharsets.UTF_8);
    moveAtomically(tmp, file);
  }

  private static void moveAtomically(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static List<String> withHeader(List<String> rows) {
    List<String> out = new ArrayList<>(rows.size() + 1);
    out.add(LOG_HEADER);
    out.addAll(rows);
    return out;
  }

  /** Java/TF versions, thread settings, OS/arch and UTC time as JSON. */
  static String provenance(int intra, int inter) {
    JsonObject o = new JsonObject();
    o.addProperty("java_version", System.getProperty("java.version"));
    o.addProperty("java_vendor", System.getProperty("java.vendor"));
    o.addProperty("tensorflow_native_version", TensorFlow.version());
    o.addProperty("tensorflow_java_version", TF_JAVA_VERSION);
    o.addProperty("intra_op_threads", intra);
    o.addProperty("inter_op_threads", inter);
    o.addProperty("os_name", System.getProperty("os.name"));
    o.addProperty("os_version", System.getProperty("os.version"));
    o.addProperty("os_arch", System.getProperty("os.arch"));
    o.addProperty("available_processors", Runtime.getRuntime().availableProcessors());
    o.addProperty("utc_time", Instant.now().toString());
    return GSON.toJson(o);
  }

  /**
   * Checks that a checkpoint fits what the caller is about to do.
   *
   * @throws IllegalArgumentException with a one-line message naming the mismatch
   */
  static void checkCompatible(Meta meta, ModelConfig expected, Path ckpt) {
    ModelConfig got = meta.model();
    if (got.kind() != expected.kind() || !got.preset().equals(expected.preset()) || got.seqLen() != expected.seqLen()
        || got.layers() != expected.layers() || got.dModel() != expected.dModel() || got.heads() != expected.heads()) {
      throw new IllegalArgumentException("checkpoint " + ckpt + " holds a " + describe(got) + " model, but this run is "
          + describe(expected));
    }
    if (got.precision() != expected.precision()) {
      throw new IllegalArgumentException("checkpoint " + ckpt + " holds a " + got.precision().id() + " model, but this "
          + "run is " + expected.precision().id() + "; use --precision " + got.precision().id());
    }
  }

  static String describe(ModelConfig c) {
    return c.kind().id() + "/" + c.preset() + "/seqLen=" + c.seqLen();
  }

  static ModelKind kindOf(Meta m) {
    return m.model().kind();
  }

  /** {@code s} with every run of whitespace (newlines included) collapsed to one space. */
  public static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s+", " ").trim();
  }

  static void deleteRecursively(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(x);
      }
    }
  }

  /** Something that can write a TF checkpoint to a prefix. */
  interface Saver {
    void save(Path prefix);
  }
}
