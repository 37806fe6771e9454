package dev.lddm.harness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Atomic writes: the umask's permissions, an all-or-nothing replace, nothing left behind on failure. */
class AtomicFilesTest {
  @TempDir Path dir;

  private List<String> names(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void newFilesGetTheUmaskPermissionsLikeCreateFile() throws IOException {
    assumeTrue(Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null, "POSIX file system");
    Path reference = Files.createFile(dir.resolve("reference"));
    Path written = dir.resolve("written.csv");
    AtomicFiles.writeString(written, "a,b\n");
    Path bytes = dir.resolve("chart.png");
    AtomicFiles.writeBytes(bytes, out -> out.write(new byte[] {1, 2, 3}));
    assertEquals(Files.getPosixFilePermissions(reference), Files.getPosixFilePermissions(written));
    assertEquals(Files.getPosixFilePermissions(reference), Files.getPosixFilePermissions(bytes));
    assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(bytes));
  }

  @Test
  void replacesAnExistingFileAtomicallyThroughARandomTemporaryFileBesideIt() throws IOException {
    Path target = dir.resolve("board.csv");
    AtomicFiles.writeString(target, "old\n");
    Object oldKey = Files.readAttributes(target, BasicFileAttributes.class).fileKey();
    List<String> during = new ArrayList<>();
    AtomicFiles.write(target, w -> {
      w.write("new\n");
      during.add(Files.readString(target)); // readers still see the complete old file
      during.addAll(names(dir));
    });
    assertEquals("old\n", during.get(0));
    assertEquals(3, during.size(), during.toString());
    assertEquals("board.csv", during.get(2));
    assertTrue(during.get(1).matches("\\.board\\.csv\\.[0-9a-f]{16}\\.tmp"), during.get(1));
    assertEquals("new\n", Files.readString(target));
    assertEquals(List.of("board.csv"), names(dir));
    Object newKey = Files.readAttributes(target, BasicFileAttributes.class).fileKey();
    if (oldKey != null) {
      assertNotEquals(oldKey, newKey, "replaced by rename, not rewritten in place");
    }
  }

  @Test
  void refusesADirectoryTargetWithoutWritingAnything() throws IOException {
    Path sub = Files.createDirectory(dir.resolve("sub"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> AtomicFiles.writeString(sub, "x"));
    assertEquals("cannot write " + sub + ": it is a directory; give a file path", e.getMessage());
    assertEquals(List.of("sub"), names(dir));
    assertEquals(List.of(), names(sub));
  }

  @Test
  void aFailingWriteLeavesTheOldFileAndNoTemporaryFile() throws IOException {
    Path target = dir.resolve("predictions.csv");
    AtomicFiles.writeString(target, "old\n");
    IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, w -> {
      w.write("half");
      throw new IOException("disk full");
    }));
    assertEquals("disk full", e.getMessage());
    assertEquals("old\n", Files.readString(target));
    assertEquals(List.of("predictions.csv"), names(dir));
  }

  @Test
  void aFailingWriteRemovesTheDirectoriesItCreated() throws IOException {
    Path target = dir.resolve("a/b/c.txt");
    assertThrows(IllegalStateException.class, () -> AtomicFiles.write(target, w -> {
      throw new IllegalStateException("bug");
    }));
    assertEquals(List.of(), names(dir));
  }

  @Test
  void aParentThatIsAFileFailsInOneLineLeavingNothing() throws IOException {
    Path file = Files.writeString(dir.resolve("file"), "keep", StandardCharsets.UTF_8);
    Path target = file.resolve("x.jsonl");
    IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, w -> w.write("x")));
    assertTrue(e.getMessage().startsWith("cannot write " + target + ": "), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    assertEquals(List.of("file"), names(dir));
    assertEquals("keep", Files.readString(file));
    Path deeper = file.resolve("a/b/x.jsonl");
    assertThrows(IOException.class, () -> AtomicFiles.write(deeper, w -> w.write("x")));
    assertEquals(List.of("file"), names(dir));
  }

  @Test
  void requireWritableFileNamesTheOptionAndTheFix() throws IOException {
    Path file = Files.writeString(dir.resolve("file"), "keep");
    IllegalArgumentException isDir = assertThrows(IllegalArgumentException.class,
        () -> AtomicFiles.requireWritableFile("--out", dir));
    assertEquals("--out " + dir + " is a directory; give a file path", isDir.getMessage());
    IllegalArgumentException underFile = assertThrows(IllegalArgumentException.class,
        () -> AtomicFiles.requireWritableFile("--out", file.resolve("a/x.png")));
    assertEquals("--out " + file.resolve("a/x.png") + ": " + file
        + " is not a directory; give a path inside a directory", underFile.getMessage());
    AtomicFiles.requireWritableFile("--out", dir.resolve("new/dirs/x.jsonl")); // may be created
    AtomicFiles.requireWritableFile("--out", file); // may be replaced
    assertEquals(List.of("file"), names(dir), "checking writes nothing");
  }
}
