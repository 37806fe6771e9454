package dev.lddm.model.train;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.zip.CRC32C;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.Summary;

/**
 * Writes a training run's scalars as TensorBoard event files, so a run can be watched with
 * {@code tensorboard --logdir <run dir>/tensorboard} (or a suite's whole {@code cells/} directory).
 *
 * <p>Per optimizer step (one event, step = the 1-based optimizer step, as in {@code train_log.csv}): the tags
 * {@link #LOSS} (the step's loss, the log's {@code loss} column), {@link #LEARNING_RATE} (the rate that step
 * used, {@link TrainSpec#learningRate} of the 0-based step, the log's {@code lr} column),
 * {@link #TOKENS_PER_SECOND} and {@link #ELAPSED_SECONDS} (cumulative over resumes). Values are
 * {@code simple_value} floats, so they equal the log's values rounded to float.
 *
 * <p>The file is TensorFlow's own format, written here without TensorFlow's summary ops: TFRecord framing
 * (little-endian uint64 length, masked CRC-32C of the length, the serialized {@code Event}, masked CRC-32C
 * of it) of {@code org.tensorflow.proto.Event} messages, the first one {@code file_version:
 * "brain.Event:2"}. Its name is {@code events.out.tfevents.<unix seconds>.<host>} (with {@code .1},
 * {@code .2}, ... appended when that name is taken), created when the first step completes (a run refused
 * before training writes none). Each event is flushed to the operating system as soon as it is written, so
 * a killed run keeps every step it finished.
 *
 * <p>Resume: every session adds a new file to the same directory; TensorBoard reads a run's files in name
 * order (the names start with the time) and merges them. A run killed after an unsaved stretch (steps after
 * its last checkpoint) resumes from that checkpoint, so those steps are in the old file and again, with the
 * resumed values (the same values: resume is exact), in the new one; TensorBoard drops a series' points from
 * a step on when it meets that step again, so the chart shows each step once. A reader of the raw files
 * should likewise let the later file win.
 *
 * <p>Failures never reach training: the first I/O error (the directory cannot be created, a write fails)
 * is reported once to the warnings consumer, naming the file and the reason, and nothing more is written;
 * what was written before stays readable.
 *
 * <p>Not thread-safe: call it from the training thread (as {@link Trainer} calls listeners).
 */
public final class TensorBoardLog implements TrainListener, AutoCloseable {
  /** The directory, inside a run directory, that holds the event files. */
  public static final String DIR = "tensorboard";
  /** The prefix of every event file's name (TensorBoard reads the files whose name contains "tfevents"). */
  public static final String FILE_PREFIX = "events.out.tfevents.";
  /** The {@code file_version} of the first event of every file. */
  public static final String FILE_VERSION = "brain.Event:2";
  /** Tag of the step's training loss. */
  public static final String LOSS = "train/loss";
  /** Tag of the learning rate the step used. */
  public static final String LEARNING_RATE = "train/learning_rate";
  /** Tag of the sequence positions processed per second in this session. */
  public static final String TOKENS_PER_SECOND = "train/tokens_per_second";
  /** Tag of the cumulative training wall time, over resumes. */
  public static final String ELAPSED_SECONDS = "train/elapsed_seconds";

  /** Opens an event file for writing; the file must not exist yet. */
  interface Opener {
    OutputStream open(Path file) throws IOException;
  }

  private static final int MASK_DELTA = 0xa282ead8;

  private final Path dir;
  private final TrainSpec spec;
  private final Consumer<String> warnings;
  private final Opener opener;
  private OutputStream raw;
  private OutputStream out;
  private Path file;
  private boolean failed;
  private boolean closed;

  /**
   * A log that writes into {@code dir} (created at the first step; usually {@code runDir.resolve(DIR)}).
   *
   * @param spec the run's spec: the learning rate of each step is {@link TrainSpec#learningRate}
   * @param warnings receives at most one line, on the first failure to write
   */
  public TensorBoardLog(Path dir, TrainSpec spec, Consumer<String> warnings) {
    this(dir, spec, warnings, f -> Files.newOutputStream(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
  }

  TensorBoardLog(Path dir, TrainSpec spec, Consumer<String> warnings, Opener opener) {
    this.dir = Objects.requireNonNull(dir, "dir");
    this.spec = Objects.requireNonNull(spec, "spec");
    this.warnings = Objects.requireNonNull(warnings, "warnings");
    this.opener = Objects.requireNonNull(opener, "opener");
  }

  /** The file this session writes, or {@code null} before the first step (or when it could not be created). */
  public Path file() {
    return file;
  }

  @Override
  public void onStep(long step, long totalSteps, double loss, double tokensPerSecond, double elapsedSeconds) {
    if (failed || closed) {
      return;
    }
    try {
      if (out == null) {
        open();
      }
      Summary summary = Summary.newBuilder()
          .addValue(value(LOSS, loss))
          .addValue(value(LEARNING_RATE, spec.learningRate(step - 1)))
          .addValue(value(TOKENS_PER_SECOND, tokensPerSecond))
          .addValue(value(ELAPSED_SECONDS, elapsedSeconds))
          .build();
      write(Event.newBuilder().setWallTime(now()).setStep(step).setSummary(summary).build());
      out.flush();
    } catch (IOException | RuntimeException e) {
      fail(e);
    }
  }

  /** Flushes (every event is flushed already; this keeps the promise if that ever changes). */
  @Override
  public void onCheckpoint(long step, Path checkpointDir) {
    if (out != null && !failed && !closed) {
      try {
        out.flush();
      } catch (IOException | RuntimeException e) {
        fail(e);
      }
    }
  }

  /** Flushes and closes the file; later steps are ignored. Never throws (a failure is a warning). */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (out != null && !failed) {
      try {
        out.close();
      } catch (IOException | RuntimeException e) {
        fail(e);
      }
    }
  }

  private void open() throws IOException {
    Files.createDirectories(dir);
    long seconds = System.currentTimeMillis() / 1000;
    String base = FILE_PREFIX + String.format(Locale.ROOT, "%010d", seconds) + "." + host();
    for (int n = 0; ; n++) {
      Path f = dir.resolve(n == 0 ? base : base + "." + n);
      try {
        file = f;
        raw = opener.open(f);
        out = new BufferedOutputStream(raw);
        break;
      } catch (FileAlreadyExistsException e) {
        if (n >= 1000) {
          throw e;
        }
      }
    }
    write(Event.newBuilder().setWallTime(now()).setFileVersion(FILE_VERSION).build());
  }

  private void write(Event e) throws IOException {
    out.write(frame(e.toByteArray()));
  }

  private void fail(Exception e) {
    failed = true;
    String where = file != null ? file.toString() : dir.toString();
    warnings.accept("TensorBoard events: cannot write " + where + " (" + reason(e)
        + "); training goes on without them");
    if (raw != null) {
      try {
        raw.close(); // not the buffer: its rest would be one more failing write
      } catch (IOException | RuntimeException ignored) {
        // Already reported the first failure; the file keeps what reached it.
      }
    }
  }

  private static Summary.Value value(String tag, double v) {
    return Summary.Value.newBuilder().setTag(tag).setSimpleValue((float) v).build();
  }

  private static double now() {
    return System.currentTimeMillis() / 1000.0;
  }

  /**
   * The host name as used in event file names (letters, digits, '.', '-' and '_' only): the kernel's
   * ({@code gethostname}, as TensorFlow uses; no DNS lookup), else Java's, else {@code localhost}.
   */
  static String host() {
    String h = null;
    try {
      Path kernel = Path.of("/proc/sys/kernel/hostname");
      if (Files.isReadable(kernel)) {
        h = Files.readString(kernel).strip();
      }
      if (h == null || h.isEmpty()) {
        h = InetAddress.getLocalHost().getHostName();
      }
    } catch (IOException | RuntimeException e) {
      h = null;
    }
    if (h == null || h.isBlank()) {
      h = "localhost";
    }
    return h.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  private static String reason(Exception e) {
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileAlreadyExistsException) {
      return "a file is in the way";
    }
    if (e instanceof NotDirectoryException) {
      return "not a directory";
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    String m = e.getMessage();
    return m == null || m.isBlank() ? "I/O error" : Checkpoints.oneLine(m);
  }

  /** One TFRecord: length, masked CRC-32C of the length's 8 bytes, the data, masked CRC-32C of the data. */
  static byte[] frame(byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(8 + 4 + data.length + 4).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(data.length);
    b.putInt(maskedCrc32c(b.array(), 0, 8));
    b.put(data);
    b.putInt(maskedCrc32c(data, 0, data.length));
    return b.array();
  }

  /** TFRecord's masked CRC-32C: {@code ((crc >>> 15) | (crc << 17)) + 0xa282ead8}. */
  static int maskedCrc32c(byte[] bytes, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, offset, length);
    int c = (int) crc.getValue();
    return ((c >>> 15) | (c << 17)) + MASK_DELTA;
  }

  /**
   * Reads an event file written by this class (or by TensorFlow), checking every record's two CRCs.
   *
   * @throws IOException when a record is truncated, a CRC does not match or an event does not parse
   */
  public static List<Event> read(Path eventFile) throws IOException {
    List<Event> events = new ArrayList<>();
    try (InputStream in = Files.newInputStream(eventFile)) {
      byte[] bytes = in.readAllBytes();
      ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
      while (b.hasRemaining()) {
        int at = b.position();
        if (b.remaining() < 12) {
          throw new IOException(eventFile + ": truncated record at byte " + at);
        }
        long length = b.getLong();
        if (b.getInt() != maskedCrc32c(bytes, at, 8)) {
          throw new IOException(eventFile + ": bad length CRC at byte " + at);
        }
        if (length < 0 || length > b.remaining() - 4) {
          throw new IOException(eventFile + ": truncated record at byte " + at);
        }
        int start = b.position();
        byte[] data = new byte[(int) length];
        b.get(data);
        if (b.getInt() != maskedCrc32c(bytes, start, data.length)) {
          throw new IOException(eventFile + ": bad data CRC at byte " + at);
        }
        events.add(Event.parseFrom(data));
      }
    }
    return events;
  }
}
