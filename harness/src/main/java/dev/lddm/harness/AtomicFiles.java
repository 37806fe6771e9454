package dev.lddm.harness;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Writes files atomically: into a temporary file in the same directory, then renamed over the target.
 * A reader sees either the old file or the complete new one, never a torn write.
 *
 * <p>The new file gets the permissions of any newly created file ({@code 0666} less the process umask,
 * as {@code Files.createFile} or a shell redirection would give), not the {@code 0600} of
 * {@code Files.createTempFile}. On any failure nothing is left behind: the temporary file is deleted,
 * directories created for the target are removed again, and an existing target is untouched.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  private static final SecureRandom RANDOM = new SecureRandom();
  /** Longest part of the target's name kept in the temporary file's name (file names are limited to 255 bytes). */
  private static final int MAX_PREFIX = 100;
  private static final int ATTEMPTS = 16;

  /** Something that writes a whole file's content as text. */
  @FunctionalInterface
  public interface Content {
    void writeTo(Writer out) throws IOException;
  }

  /** Something that writes a whole file's content as bytes. */
  @FunctionalInterface
  public interface ByteContent {
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * Writes {@code content} to {@code target} atomically (UTF-8), creating parent directories.
   *
   * @throws IllegalArgumentException if {@code target} is a directory
   * @throws IOException if the file cannot be written (nothing is left behind, see the class comment)
   */
  public static void write(Path target, Content content) throws IOException {
    writeBytes(target, out -> {
      Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
      content.writeTo(w);
      w.flush();
    });
  }

  /**
   * Writes {@code content} to {@code target} atomically, creating parent directories.
   *
   * @throws IllegalArgumentException if {@code target} is a directory
   * @throws IOException if the file cannot be written (nothing is left behind, see the class comment)
   */
  public static void writeBytes(Path target, ByteContent content) throws IOException {
    Path abs = target.toAbsolutePath();
    if (Files.isDirectory(abs) || abs.getFileName() == null) {
      throw new IllegalArgumentException("cannot write " + target + ": it is a directory; give a file path");
    }
    Path dir = abs.getParent();
    List<Path> created;
    try {
      created = createDirectories(dir);
    } catch (IOException e) {
      throw cannotWrite(target, e);
    }
    Path tmp = null;
    boolean done = false;
    try {
      Temp temp;
      try {
        temp = createTemp(dir, abs.getFileName().toString());
      } catch (IOException e) {
        throw cannotWrite(target, e);
      }
      tmp = temp.path();
      try (OutputStream out = new BufferedOutputStream(temp.out())) {
        content.writeTo(out);
      }
      try {
        try {
          Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
        }
      } catch (IOException e) {
        throw cannotWrite(target, e);
      }
      done = true;
    } finally {
      if (!done) {
        if (tmp != null) {
          deleteQuietly(tmp);
        }
        for (int i = created.size() - 1; i >= 0; i--) {
          deleteQuietly(created.get(i));
        }
      }
    }
  }

  /** {@link #write} for a string; I/O failures as {@link UncheckedIOException}. */
  public static void writeString(Path target, String text) {
    try {
      write(target, w -> w.write(text));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Checks, without writing anything, that {@code target} can plausibly be written as a file: it is not a
   * directory, and its nearest existing ancestor is a writable directory. Commands call it on an output
   * option before spending any work.
   *
   * @param option the option's name for the message, e.g. {@code --out}
   * @throws IllegalArgumentException a one-line message naming the option and the fix, e.g.
   *     {@code --out /tmp is a directory; give a file path}
   */
  public static void requireWritableFile(String option, Path target) {
    Path abs = target.toAbsolutePath();
    if (Files.isDirectory(abs) || abs.getFileName() == null) {
      throw new IllegalArgumentException(option + " " + target + " is a directory; give a file path");
    }
    Path ancestor = abs.getParent();
    while (ancestor != null && !Files.exists(ancestor, LinkOption.NOFOLLOW_LINKS)) {
      ancestor = ancestor.getParent();
    }
    if (ancestor == null) {
      throw new IllegalArgumentException(option + " " + target + ": no existing parent directory");
    }
    if (!Files.isDirectory(ancestor)) {
      throw new IllegalArgumentException(
          option + " " + target + ": " + ancestor + " is not a directory; give a path inside a directory");
    }
    if (!Files.isWritable(ancestor)) {
      throw new IllegalArgumentException(
          option + " " + target + ": cannot write in " + ancestor + " (permission denied)");
    }
  }

  /** {@code cannot write TARGET: REASON}, naming the file the caller asked for, not the temporary one. */
  private static IOException cannotWrite(Path target, IOException e) {
    return new IOException("cannot write " + target + ": " + IoErrors.reason(e), e);
  }

  /** Creates {@code dir} and its missing ancestors; returns the directories it created, outermost first. */
  private static List<Path> createDirectories(Path dir) throws IOException {
    List<Path> missing = new ArrayList<>();
    for (Path p = dir; p != null && !Files.exists(p, LinkOption.NOFOLLOW_LINKS); p = p.getParent()) {
      missing.add(0, p);
    }
    List<Path> created = new ArrayList<>();
    try {
      for (Path p : missing) {
        try {
          Files.createDirectory(p);
          created.add(p);
        } catch (FileAlreadyExistsException e) {
          if (!Files.isDirectory(p)) {
            throw e;
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      for (int i = created.size() - 1; i >= 0; i--) {
        deleteQuietly(created.get(i));
      }
      throw e;
    }
    // The existing ancestor may be a regular file: then creating the first missing directory fails above;
    // if nothing was missing, dir itself must be a directory.
    if (missing.isEmpty() && !Files.isDirectory(dir)) {
      throw new java.nio.file.NotDirectoryException(dir.toString());
    }
    return created;
  }

  /** A temporary file this class created (and so may delete), open for writing. */
  private record Temp(Path path, OutputStream out) {}

  /**
   * A new file next to the target, {@code .NAME.RANDOM.tmp} with 64 random bits, created with
   * {@code CREATE_NEW} and the default permissions (so the umask applies), open for writing.
   */
  private static Temp createTemp(Path dir, String name) throws IOException {
    String prefix = "." + (name.length() > MAX_PREFIX ? name.substring(0, MAX_PREFIX) : name) + ".";
    byte[] bits = new byte[8];
    for (int attempt = 1; ; attempt++) {
      RANDOM.nextBytes(bits);
      Path tmp = dir.resolve(prefix + HexFormat.of().formatHex(bits) + ".tmp");
      try {
        return new Temp(tmp, Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
      } catch (FileAlreadyExistsException e) {
        if (attempt == ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException | RuntimeException ignored) {
      // Best effort: the original failure is the one to report.
    }
  }
}
