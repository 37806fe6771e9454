package dev.lddm.harness.diag;

import dev.lddm.harness.AtomicFiles;
import dev.lddm.harness.Csv;
import dev.lddm.harness.IoErrors;
import dev.lddm.harness.UserDataException;
import dev.lddm.model.decode.DecodeObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * Collects per-step statistics of a decoding run over the target positions (everything after
 * {@code [SEP]}), as in the Loopholing paper's analysis of the sampling wall (arXiv 2510.19304, Sec. 6):
 *
 * <ul>
 *   <li>{@code tpe}: mean token-prediction entropy {@code H(p) = -Σ p log p} (nats) over positions and
 *       sequences;
 *   <li>{@code tkl}: mean temporal KL {@code KL(p_s || p_{s-1})} between a position's predicted distributions
 *       at consecutive steps (0 at step 0);
 *   <li>{@code idle}: fraction of sequences whose argmax output (over all target positions) did not change
 *       from step s−1 (0 at step 0);
 *   <li>{@code oscillations}: positions whose argmax returned at step s to a value it had held earlier and
 *       then left, summed over sequences (and {@code oscillations_per_seq}, its mean per sequence).
 * </ul>
 *
 * Probabilities below 1e-12 are clamped inside the logarithms so KL stays finite. Not thread-safe: one
 * decoding run at a time.
 */
public final class StepDiagnostics implements DecodeObserver {
  private static final double EPS = 1e-12;

  /** Totals of one step over sequences. */
  private static final class Acc {
    double entropySum;
    long positions;
    double klSum;
    long klPositions;
    long sequences;
    long idle;
    long oscillations;
  }

  /** Per-sequence memory between steps. */
  private static final class Seq {
    float[][] prevProbs;
    int[] prevArgmax;
    List<java.util.Set<Integer>> left;
  }

  private final List<Acc> steps = new ArrayList<>();
  private final Map<Integer, Seq> seqs = new HashMap<>();

  @Override
  public void onStep(int step, int example, int[] tokensIn, int targetStart, float[][] probs) {
    while (steps.size() <= step) {
      steps.add(new Acc());
    }
    Acc acc = steps.get(step);
    Seq seq = seqs.computeIfAbsent(example, k -> new Seq());
    if (step == 0) {
      seq.prevProbs = null;
      seq.prevArgmax = null;
      seq.left = new ArrayList<>();
      for (int i = 0; i < probs.length; i++) {
        seq.left.add(new java.util.HashSet<>());
      }
    }
    int[] argmax = new int[probs.length];
    boolean changed = false;
    for (int i = 0; i < probs.length; i++) {
      float[] p = probs[i];
      double h = 0;
      int best = 0;
      for (int v = 0; v < p.length; v++) {
        if (p[v] > 0) {
          h -= p[v] * Math.log(p[v]);
        }
        if (p[v] > p[best]) {
          best = v;
        }
      }
      acc.entropySum += h;
      acc.positions++;
      argmax[i] = best;
      if (seq.prevProbs != null) {
        float[] q = seq.prevProbs[i];
        double kl = 0;
        for (int v = 0; v < p.length; v++) {
          if (p[v] > 0) {
            kl += p[v] * (Math.log(Math.max(p[v], EPS)) - Math.log(Math.max(q[v], EPS)));
          }
        }
        acc.klSum += Math.max(0, kl);
        acc.klPositions++;
        int before = seq.prevArgmax[i];
        if (before != best) {
          changed = true;
          if (seq.left.get(i).contains(best)) {
            acc.oscillations++;
          }
          seq.left.get(i).add(before);
        }
      }
    }
    acc.sequences++;
    if (seq.prevArgmax != null && !changed) {
      acc.idle++;
    }
    seq.prevProbs = copy(probs);
    seq.prevArgmax = argmax;
  }

  private static float[][] copy(float[][] a) {
    float[][] c = new float[a.length][];
    for (int i = 0; i < a.length; i++) {
      c[i] = a[i].clone();
    }
    return c;
  }

  /** One row of {@code steps.csv}. */
  public record Row(int step, int sequences, double tpe, double tkl, double idle, long oscillations,
                    double oscillationsPerSeq) {}

  /** The per-step rows, in step order. */
  public List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    for (int s = 0; s < steps.size(); s++) {
      Acc a = steps.get(s);
      rows.add(new Row(s, (int) a.sequences, a.entropySum / Math.max(1, a.positions),
          a.klSum / Math.max(1, a.klPositions), s == 0 ? 0 : (double) a.idle / Math.max(1, a.sequences),
          a.oscillations, (double) a.oscillations / Math.max(1, a.sequences)));
    }
    return rows;
  }

  /**
   * The per-step rows of several decodings of the same kind (e.g. one per training seed) as one run over all
   * their sequences: entropy, temporal KL and the idle fraction are means weighted by each run's sequences at that
   * step, oscillations add up. A step missing from some runs pools the runs that have it.
   *
   * @throws IllegalArgumentException if {@code runs} is empty
   */
  public static List<Row> pool(List<List<Row>> runs) {
    if (runs.isEmpty()) {
      throw new IllegalArgumentException("pool needs at least one run");
    }
    Map<Integer, double[]> acc = new TreeMap<>();
    for (List<Row> run : runs) {
      for (Row r : run) {
        double[] a = acc.computeIfAbsent(r.step(), k -> new double[5]);
        a[0] += r.sequences();
        a[1] += r.tpe() * r.sequences();
        a[2] += r.tkl() * r.sequences();
        a[3] += r.idle() * r.sequences();
        a[4] += r.oscillations();
      }
    }
    List<Row> pooled = new ArrayList<>();
    acc.forEach((step, a) -> {
      double n = Math.max(1, a[0]);
      pooled.add(new Row(step, (int) a[0], a[1] / n, a[2] / n, a[3] / n, (long) a[4], a[4] / n));
    });
    return pooled;
  }

  /**
   * One decoding's dynamics in a few numbers.
   *
   * @param firstEntropy token-prediction entropy at step 0 (nats)
   * @param entropy token-prediction entropy averaged over all steps
   * @param temporalKl temporal KL averaged over steps 1 to T−1 (NaN for one step)
   * @param idle the idle fraction averaged over steps 1 to T−1 (NaN for one step)
   * @param oscillationsPerSequence oscillations summed over all steps, per sequence
   */
  public record Summary(double firstEntropy, double entropy, double temporalKl, double idle,
                        double oscillationsPerSequence) {}

  /**
   * Sums up a run's rows ({@link #rows()}, {@link #read} or {@link #pool}).
   *
   * @throws IllegalArgumentException if {@code rows} is empty
   */
  public static Summary summarize(List<Row> rows) {
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("no steps to summarize");
    }
    double tpe = 0;
    double tkl = 0;
    double idle = 0;
    double oscillations = 0;
    int later = 0;
    for (Row r : rows) {
      tpe += r.tpe();
      oscillations += r.oscillationsPerSeq();
      if (r.step() > 0) {
        tkl += r.tkl();
        idle += r.idle();
        later++;
      }
    }
    return new Summary(rows.get(0).tpe(), tpe / rows.size(), later == 0 ? Double.NaN : tkl / later,
        later == 0 ? Double.NaN : idle / later, oscillations);
  }

  /** The CSV columns. */
  public static final String[] HEADER = {"step", "sequences", "tpe", "tkl", "idle", "oscillations",
      "oscillations_per_seq"};

  /** Writes {@code steps.csv} atomically. */
  public void write(Path file) throws IOException {
    AtomicFiles.write(file, w -> {
      CSVPrinter csv = Csv.printer(w, HEADER);
      for (Row r : rows()) {
        csv.printRecord(r.step(), r.sequences(), f(r.tpe()), f(r.tkl()), f(r.idle()), r.oscillations(),
            f(r.oscillationsPerSeq()));
      }
      csv.flush();
    });
  }

  /**
   * Reads a {@code steps.csv} written by {@link #write} (a leading byte-order mark is skipped).
   *
   * @throws UserDataException one line naming the file and, for bad content, the line and
   *     column: a missing file or column, a field that is not a number
   */
  public static List<Row> read(Path file) {
    try (var parser = Csv.parse(file)) {
      List<String> missing = new ArrayList<>(List.of(HEADER));
      missing.removeAll(parser.getHeaderNames());
      if (!missing.isEmpty()) {
        throw new UserDataException("steps file " + file + " lacks the column(s) "
            + String.join(",", missing) + "; expected the header " + String.join(",", HEADER));
      }
      List<Row> rows = new ArrayList<>();
      for (var rec : parser) {
        Field f = new Field(file, rec);
        rows.add(new Row(f.integer("step"), f.integer("sequences"), f.number("tpe"), f.number("tkl"),
            f.number("idle"), f.longInteger("oscillations"), f.number("oscillations_per_seq")));
      }
      return rows;
    } catch (IOException e) {
      throw new UserDataException(
          "cannot read steps file " + file + ": " + IoErrors.reason(e), e);
    } catch (UncheckedIOException e) {
      throw new UserDataException(
          "steps file " + file + " is not valid CSV: " + Csv.describeError(e), e);
    } catch (IllegalArgumentException e) {
      throw new UserDataException("steps file " + file + " is not valid CSV: " + Csv.describeError(e), e);
    }
  }

  /** The fields of one record, parsed with a message naming the file, line and column. */
  private record Field(Path file, CSVRecord rec) {
    int integer(String column) {
      String v = rec.isSet(column) ? rec.get(column) : "";
      try {
        return Integer.parseInt(v.strip());
      } catch (NumberFormatException e) {
        throw bad(column, v, "an integer");
      }
    }

    long longInteger(String column) {
      String v = rec.isSet(column) ? rec.get(column) : "";
      try {
        return Long.parseLong(v.strip());
      } catch (NumberFormatException e) {
        throw bad(column, v, "an integer");
      }
    }

    double number(String column) {
      String v = rec.isSet(column) ? rec.get(column) : "";
      try {
        return Double.parseDouble(v.strip());
      } catch (NumberFormatException e) {
        throw bad(column, v, "a number");
      }
    }

    private UserDataException bad(String column, String value, String what) {
      return new UserDataException("steps file " + file + " row " + rec.getRecordNumber()
          + ": column " + column + " must be " + what + ", got '" + value + "'");
    }
  }

  private static String f(double x) {
    return String.format(Locale.ROOT, "%.6f", x);
  }
}
