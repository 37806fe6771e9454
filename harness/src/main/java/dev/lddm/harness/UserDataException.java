package dev.lddm.harness;

/** Bad data from the user (a malformed input file, a corrupt checkpoint): exit code 1, one line. */
public final class UserDataException extends RuntimeException {
  public UserDataException(String message) {
    super(message);
  }

  public UserDataException(String message, Throwable cause) {
    super(message, cause);
  }
}
