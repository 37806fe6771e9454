package dev.lddm.harness;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Where a result came from: harness version, git commit and dirty flag, Java version, OS/arch and the
 * UTC start time. Model-side facts (TensorFlow version, threads, device, hashes) are added by the
 * caller.
 */
public record Provenance(
    String harnessVersion, String gitCommit, boolean gitDirty, String javaVersion, String osArch, String startedUtc) {

  /** The provenance of this process, now. Git facts are {@code unknown} outside a work tree. */
  public static Provenance current() {
    String commit;
    boolean dirty;
    Properties built = buildProperties();
    if (built.getProperty("git.commit.id") != null) {
      // Recorded when the jar was built: the code that is running, whatever the working directory holds.
      commit = built.getProperty("git.commit.id");
      dirty = Boolean.parseBoolean(built.getProperty("git.dirty"));
    } else {
      String head = git("rev-parse", "HEAD");
      String status = git("status", "--porcelain", "--untracked-files=no");
      commit = head == null ? "unknown" : head.strip();
      dirty = status != null && !status.isBlank();
    }
    return new Provenance(
        HarnessVersion.get(),
        commit,
        dirty,
        System.getProperty("java.version"),
        System.getProperty("os.name").toLowerCase(Locale.ROOT).replace(' ', '-') + "/" + System.getProperty("os.arch"),
        Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
  }

  /**
   * The CPU this process runs on, e.g. {@code AMD EPYC (family 25 model 17; avx512_bf16)}: see
   * {@link dev.lddm.model.HostCpu#describe()}.
   */
  public static String cpu() {
    return dev.lddm.model.HostCpu.describe();
  }

  static String describeCpu(Path cpuinfo) {
    return dev.lddm.model.HostCpu.describe(cpuinfo);
  }

  /**
   * The {@code cpu} column of a leaderboard row: the evaluating CPU when the model was trained on it alone (or
   * its checkpoint predates the record), else {@code train A then B; eval C}, so a cell resumed on another kind
   * of machine says so (the CPU decides each precision's kernels, so the numbers of its steps).
   *
   * @param trainedOn the CPUs that trained the checkpoint, in order ({@link
   *     dev.lddm.model.train.Checkpoints.Meta#cpus()}); empty when unknown
   */
  public static String cpuColumn(List<String> trainedOn, String evaluatedOn) {
    if (trainedOn.isEmpty() || trainedOn.equals(List.of(evaluatedOn))) {
      return evaluatedOn;
    }
    return "train " + String.join(" then ", trainedOn) + "; eval " + evaluatedOn;
  }

  private static Properties buildProperties() {
    Properties p = new Properties();
    try (InputStream in = Provenance.class.getResourceAsStream("git.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // No build record: fall back to asking git at run time.
    }
    return p;
  }

  private static String git(String... args) {
    try {
      Process p = new ProcessBuilder(Stream.concat(Stream.of("git"), Stream.of(args)).toList())
          .redirectErrorStream(false)
          .start();
      p.getOutputStream().close();
      String out;
      try (InputStream in = p.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        return null;
      }
      return out;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** SHA-256 (hex, first 16 chars) of a string, for config hashes. */
  public static String hash(String text) {
    return hex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * SHA-256 (hex, first 16 chars) over the relative names and bytes of the regular files below a
   * directory whose names start with {@code prefix}, in sorted order. With prefix {@code model.} it hashes a
   * checkpoint's weights only (not its timings or timestamps), so retraining the same model gives the same
   * hash.
   */
  public static String hashTree(Path dir, String prefix) throws IOException {
    MessageDigest md = sha256();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().startsWith(prefix))
          .sorted().toList();
    }
    for (Path f : files) {
      md.update(dir.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
      md.update((byte) 0);
      md.update(Files.readAllBytes(f));
    }
    return hex(md.digest());
  }

  /** SHA-256 (hex, first 16 chars) of a file's bytes, read in blocks. */
  public static String hashFile(Path file) throws IOException {
    MessageDigest md = sha256();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    }
    return hex(md.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] digest) {
    return HexFormat.of().formatHex(digest).substring(0, 16);
  }
}
