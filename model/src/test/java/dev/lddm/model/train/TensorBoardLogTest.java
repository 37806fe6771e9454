package dev.lddm.model.train;

import static org.junit.jupiter.api.Assertions.*;

import com.google.common.hash.Hashing;
import dev.lddm.model.Fixtures;
import dev.lddm.model.ModelKind;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.Summary;

class TensorBoardLogTest {
  @TempDir Path tmp;

  private static final List<String> TAGS = List.of(TensorBoardLog.LOSS, TensorBoardLog.LEARNING_RATE,
      TensorBoardLog.TOKENS_PER_SECOND, TensorBoardLog.ELAPSED_SECONDS);

  /** 6 steps, warm-up 2 then cosine to 0 at step 6, peak 3e-3, checkpoints every 3 steps. */
  private static TrainSpec spec() {
    return new TrainSpec("countdown3", ModelKind.MGDM, "micro", 6, 0, 8, 3e-3, 7, 3, 2, 0.9, 0, 1, 1);
  }

  /** Trains with a {@link TensorBoardLog} attached (then {@code also}), as the harness does. */
  private static TrainResult train(TrainSpec s, Path run, Trainer.Start start, List<String> warnings,
                                   TrainListener also) {
    try (TensorBoardLog tb = new TensorBoardLog(run.resolve(TensorBoardLog.DIR), s, warnings::add)) {
      return Trainer.train(s, Fixtures.COUNTDOWN3, Fixtures.SEQ_LEN, run, start, new TrainListener() {
        @Override
        public void onStep(long step, long total, double loss, double tps, double el) {
          tb.onStep(step, total, loss, tps, el);
          also.onStep(step, total, loss, tps, el);
        }

        @Override
        public void onCheckpoint(long step, Path dir) {
          tb.onCheckpoint(step, dir);
          also.onCheckpoint(step, dir);
        }
      }, warnings::add);
    }
  }

  /** The event files of a run, in name order (the order TensorBoard reads them). */
  private static List<Path> eventFiles(Path run) throws IOException {
    try (Stream<Path> s = Files.list(run.resolve(TensorBoardLog.DIR))) {
      return s.sorted().toList();
    }
  }

  /**
   * Parses the TFRecord framing independently of the production reader (Guava's CRC-32C): every length and
   * data CRC must be TensorFlow's masked CRC-32C.
   */
  private static List<Event> parse(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    List<Event> events = new ArrayList<>();
    while (b.hasRemaining()) {
      byte[] len = new byte[8];
      b.get(len);
      long n = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getLong();
      assertEquals(masked(len), b.getInt(), "length CRC of record " + events.size());
      byte[] data = new byte[Math.toIntExact(n)];
      b.get(data);
      assertEquals(masked(data), b.getInt(), "data CRC of record " + events.size());
      events.add(Event.parseFrom(data));
    }
    return events;
  }

  private static int masked(byte[] bytes) {
    int crc = Hashing.crc32c().hashBytes(bytes).asInt();
    return ((crc >>> 15) | (crc << 17)) + 0xa282ead8;
  }

  private static List<String> tags(Event e) {
    return e.getSummary().getValueList().stream().map(Summary.Value::getTag).toList();
  }

  private static float value(Event e, String tag) {
    return e.getSummary().getValueList().stream().filter(v -> v.getTag().equals(tag)).findFirst().orElseThrow()
        .getSimpleValue();
  }

  /** train_log.csv rows without the header: step,loss,lr,tokens_per_s,elapsed_s,self_cond. */
  private static List<String[]> log(Path run) throws IOException {
    List<String> lines = Files.readAllLines(run.resolve(Checkpoints.LOG));
    assertEquals(Checkpoints.LOG_HEADER, lines.get(0));
    return lines.subList(1, lines.size()).stream().map(l -> l.split(",")).toList();
  }

  @Test
  void aMicroRunWritesOneEventFileWithEveryStepsScalars() throws IOException {
    Path run = tmp.resolve("run");
    List<String> warnings = new ArrayList<>();
    TrainSpec s = spec();
    train(s, run, Trainer.Start.FRESH, warnings, TrainListener.NONE);
    assertEquals(List.of(), warnings);

    List<Path> files = eventFiles(run);
    assertEquals(1, files.size(), files.toString());
    String name = files.get(0).getFileName().toString();
    assertTrue(name.matches("events\\.out\\.tfevents\\.\\d{10}\\.[A-Za-z0-9._-]+"), name);

    List<Event> events = parse(files.get(0));
    assertEquals(events, TensorBoardLog.read(files.get(0)), "the production reader agrees");
    assertEquals(1 + 6, events.size());
    assertEquals("brain.Event:2", events.get(0).getFileVersion());
    assertTrue(events.get(0).getWallTime() > 1.6e9, "wall time in unix seconds: " + events.get(0).getWallTime());

    List<String[]> log = log(run);
    assertEquals(6, log.size());
    for (int i = 1; i <= 6; i++) {
      Event e = events.get(i);
      String[] row = log.get(i - 1);
      assertEquals(i, e.getStep());
      assertEquals(Long.parseLong(row[0]), e.getStep());
      assertEquals(TAGS, tags(e), "step " + i);
      assertEquals(Float.parseFloat(row[1]), value(e, TensorBoardLog.LOSS), 0f, "loss of step " + i);
      assertEquals((float) Double.parseDouble(row[2]), value(e, TensorBoardLog.LEARNING_RATE), 0f, "lr of step " + i);
      assertEquals((float) s.learningRate(i - 1), value(e, TensorBoardLog.LEARNING_RATE), 0f, "lr of step " + i);
      assertEquals((float) Double.parseDouble(row[4]), value(e, TensorBoardLog.ELAPSED_SECONDS), 1e-3f);
      assertTrue(value(e, TensorBoardLog.TOKENS_PER_SECOND) > 0);
      assertTrue(e.getWallTime() >= events.get(i - 1).getWallTime());
    }
    // The schedule itself: warm-up lr·(k+1)/2, then cosine lr·0.5·(1 + cos(pi·(k-2)/4)) for 0-based step k.
    assertEquals(1.5e-3f, value(events.get(1), TensorBoardLog.LEARNING_RATE), 1e-9f);
    assertEquals(3e-3f, value(events.get(2), TensorBoardLog.LEARNING_RATE), 1e-9f);
    assertEquals((float) (3e-3 * 0.5 * (1 + Math.cos(Math.PI * 0.75))),
        value(events.get(6), TensorBoardLog.LEARNING_RATE), 1e-9f);
  }

  @Test
  void aResumedRunAddsASecondFileAndTogetherTheyCoverEveryStep() throws IOException {
    Path run = tmp.resolve("run");
    List<String> warnings = new ArrayList<>();
    // Killed at step 4, one step after the checkpoint at 3: step 4 is written but not saved.
    RuntimeException killed = assertThrows(RuntimeException.class, () -> train(spec(), run,
        Trainer.Start.FRESH, warnings, (step, total, loss, tps, el) -> {
          if (step == 4) {
            throw new IllegalStateException("killed at step 4");
          }
        }));
    assertEquals("killed at step 4", killed.getMessage());
    List<Path> before = eventFiles(run);
    assertEquals(1, before.size());
    List<Event> first = parse(before.get(0));
    assertEquals(List.of(1L, 2L, 3L, 4L), first.stream().skip(1).map(Event::getStep).toList());

    train(spec(), run, Trainer.Start.RESUME, warnings, TrainListener.NONE);
    assertEquals(List.of(), warnings);
    List<Path> files = eventFiles(run);
    assertEquals(2, files.size(), files.toString());
    assertEquals(before.get(0), files.get(0), "the old file sorts first, so TensorBoard reads it first");
    List<Event> second = parse(files.get(1));
    assertEquals("brain.Event:2", second.get(0).getFileVersion());
    // The resumed session starts after the checkpoint: step 4 again, with the same loss (exact resume).
    assertEquals(List.of(4L, 5L, 6L), second.stream().skip(1).map(Event::getStep).toList());
    assertEquals(value(first.get(4), TensorBoardLog.LOSS), value(second.get(1), TensorBoardLog.LOSS), 0f);

    // Later file wins: the union is every step once, and its losses are the final train_log.csv's.
    List<String[]> log = log(run);
    List<Event> union = new ArrayList<>(first.subList(1, 4));
    union.addAll(second.subList(1, 4));
    assertEquals(6, log.size());
    for (int i = 0; i < 6; i++) {
      assertEquals(i + 1, union.get(i).getStep());
      assertEquals(TAGS, tags(union.get(i)));
      assertEquals(Float.parseFloat(log.get(i)[1]), value(union.get(i), TensorBoardLog.LOSS), 0f, "step " + (i + 1));
    }
  }

  @Test
  void aDirectoryThatCannotBeCreatedIsOneWarningAndTrainingGoesOn() throws IOException {
    Path run = tmp.resolve("run");
    Files.createDirectories(run);
    Files.writeString(run.resolve(TensorBoardLog.DIR), "a file in the way");
    List<String> warnings = new ArrayList<>();
    TrainSpec s = new TrainSpec("countdown3", ModelKind.MGDM, "micro", 3, 0, 8, 3e-3, 7, 0, 0, 0.9, 0, 1, 1);
    TrainResult r = train(s, run, Trainer.Start.RESUME_IF_PRESENT, warnings, TrainListener.NONE);
    assertEquals(3, r.steps());
    assertEquals(3, log(run).size());
    assertEquals(List.of("TensorBoard events: cannot write " + run.resolve(TensorBoardLog.DIR)
        + " (a file is in the way); training goes on without them"), warnings);
    assertEquals("a file in the way", Files.readString(run.resolve(TensorBoardLog.DIR)));
  }

  /** An output stream that fails from its {@code failAt}-th write on, counting every write attempted. */
  private static final class FailingStream extends OutputStream {
    final int failAt;
    int writes;
    final List<byte[]> written = new ArrayList<>();

    FailingStream(int failAt) {
      this.failAt = failAt;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      writes++;
      if (writes >= failAt) {
        throw new IOException("No space left on device");
      }
      written.add(Arrays.copyOfRange(b, off, off + len));
    }
  }

  @Test
  void aFailedWriteIsReportedOnceAndNothingMoreIsWritten() throws IOException {
    TrainSpec s = spec();
    // Records are buffered and flushed per step: write 1 = the header and step 1, write 2 = step 2 (fails).
    FailingStream stream = new FailingStream(2);
    List<String> warnings = new ArrayList<>();
    Path dir = tmp.resolve("tb");
    TensorBoardLog tb = new TensorBoardLog(dir, s, warnings::add, f -> stream);
    for (int step = 1; step <= 5; step++) {
      tb.onStep(step, 5, 1.0 / step, 100, step);
      tb.onCheckpoint(step, dir);
    }
    tb.close();
    assertEquals(2, stream.writes, "nothing is tried after the failure");
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).matches("TensorBoard events: cannot write .*events\\.out\\.tfevents\\.\\d{10}\\.\\S+ "
        + "\\(No space left on device\\); training goes on without them"), warnings.get(0));
    // What was written before the failure is two intact records: the header and step 1.
    Path copy = tmp.resolve("copy");
    Files.write(copy, stream.written.get(0));
    List<Event> events = parse(copy);
    assertEquals(2, events.size());
    assertEquals(1, events.get(1).getStep());
    assertEquals(1f, value(events.get(1), TensorBoardLog.LOSS), 0f);
  }

  /**
   * A record of a real TensorFlow event file (quoted in TensorBoard's {@code masked_crc.rs}): the event
   * {@code file_version: "CRC test, one two"} serializes to {@code 1a 11 "CRC test, one two"} and its masked
   * CRC-32C is 0x5794d08a.
   */
  @Test
  void framingMatchesARecordWrittenByTensorFlow() {
    byte[] data = Event.newBuilder().setFileVersion("CRC test, one two").build().toByteArray();
    byte[] expected = new byte[19];
    expected[0] = 0x1a;
    expected[1] = 0x11;
    System.arraycopy("CRC test, one two".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, expected, 2, 17);
    assertArrayEquals(expected, data);
    assertEquals(0x5794d08a, TensorBoardLog.maskedCrc32c(data, 0, data.length));
    byte[] record = TensorBoardLog.frame(data);
    ByteBuffer b = ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(8 + 4 + 19 + 4, record.length);
    assertEquals(19L, b.getLong());
    assertEquals(masked(Arrays.copyOf(record, 8)), b.getInt());
    assertArrayEquals(data, Arrays.copyOfRange(record, 12, 31));
    assertEquals(0x5794d08a, ByteBuffer.wrap(record, 31, 4).order(ByteOrder.LITTLE_ENDIAN).getInt());
  }

  @Test
  void theReaderRejectsACorruptRecord() throws IOException {
    Path dir = tmp.resolve("tb");
    TensorBoardLog tb = new TensorBoardLog(dir, spec(), w -> fail(w));
    tb.onStep(1, 6, 2.5, 100, 1);
    tb.close();
    Path file = tb.file();
    byte[] bytes = Files.readAllBytes(file);
    assertEquals(2, TensorBoardLog.read(file).size());
    bytes[bytes.length - 6] ^= 1; // inside the last record's data
    Files.write(file, bytes);
    IOException e = assertThrows(IOException.class, () -> TensorBoardLog.read(file));
    assertTrue(e.getMessage().startsWith(file + ": bad data CRC at byte "), e.getMessage());
    Files.write(file, Arrays.copyOf(bytes, bytes.length - 3));
    e = assertThrows(IOException.class, () -> TensorBoardLog.read(file));
    assertTrue(e.getMessage().startsWith(file + ": truncated record at byte "), e.getMessage());
  }

  @Test
  void aSecondSessionInTheSameSecondGetsItsOwnFile() throws IOException {
    Path dir = tmp.resolve("tb");
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      TensorBoardLog tb = new TensorBoardLog(dir, spec(), w -> fail(w));
      tb.onStep(1, 6, 2.5, 100, 1);
      tb.close();
      files.add(tb.file());
    }
    // Unless the clock ticked over between them, the later ones carry .1, .2: names sort in creation order.
    assertEquals(3, files.stream().distinct().count());
    assertEquals(files, files.stream().sorted().toList());
    for (Path f : files) {
      assertEquals(2, TensorBoardLog.read(f).size());
    }
  }
}
