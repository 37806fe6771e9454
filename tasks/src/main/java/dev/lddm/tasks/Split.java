package dev.lddm.tasks;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** A data split. Test instances never occur in the train split of the same task and seed. */
public enum Split {
  TRAIN,
  VAL,
  TEST;

  /** The lower-case name used on the command line and in files ({@code train}, {@code val}, {@code test}). */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@code train}, {@code val} or {@code test}.
   *
   * @throws IllegalArgumentException naming the valid choices
   */
  public static Split parse(String s) {
    for (Split split : values()) {
      if (split.id().equals(s)) {
        return split;
      }
    }
    throw new IllegalArgumentException(
        "Unknown split '" + s + "'. Known: "
            + Arrays.stream(values()).map(Split::id).collect(Collectors.joining(", ")));
  }
}
