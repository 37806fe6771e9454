package dev.lddm.harness;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** One-line, user-facing descriptions of I/O failures, without Java class names. */
public final class IoErrors {
  private IoErrors() {}

  /**
   * The failure with the file it concerns: {@code no such file or directory: runs/x/steps.csv},
   * {@code permission denied: /etc/x}, or the system's own words ({@code /a -> /b: Is a directory}).
   */
  public static String describe(IOException e) {
    if (e instanceof FileSystemException f && f.getReason() == null && f.getFile() != null) {
      return reason(e) + ": " + f.getFile();
    }
    return e.getMessage() == null ? reason(e) : Main.oneLine(e.getMessage());
  }

  /** The failure without the file name: {@code no such file or directory}, {@code permission denied}, ... */
  public static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileAlreadyExistsException) {
      return "already exists";
    }
    if (e instanceof NotDirectoryException) {
      return "not a directory";
    }
    if (e instanceof DirectoryNotEmptyException) {
      return "directory not empty";
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    return e.getMessage() == null ? "I/O error" : Main.oneLine(e.getMessage());
  }
}
