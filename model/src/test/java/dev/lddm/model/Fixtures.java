package dev.lddm.model;

import dev.lddm.tasks.Example;
import java.util.List;

/** Hand-written Countdown-3 problems (arithmetic checked by hand and by script). */
public final class Fixtures {
  private Fixtures() {}

  /** MGDM's Countdown-3 sequence length. */
  public static final int SEQ_LEN = 37;

  public static final List<Example> COUNTDOWN3 = List.of(
      new Example("44,19,35,98", "44+19=63,63+35=98"),
      new Example("12,7,3,81", "12*7=84,84-3=81"),
      new Example("90,5,6,12", "90/5=18,18-6=12"),
      new Example("23,41,8,72", "23+41=64,64+8=72"),
      new Example("15,4,9,51", "15*4=60,60-9=51"),
      new Example("81,9,7,63", "81/9=9,9*7=63"),
      new Example("66,13,27,26", "66-13=53,53-27=26"),
      new Example("38,2,14,90", "38*2=76,76+14=90"));
}
