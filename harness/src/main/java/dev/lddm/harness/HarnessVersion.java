package dev.lddm.harness;

/** The harness version: the jar's Implementation-Version, else {@code dev}. */
public final class HarnessVersion {
  private HarnessVersion() {}

  public static String get() {
    String v = HarnessVersion.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
