package dev.lddm.harness.sweep;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.lddm.harness.suite.Suite;
import dev.lddm.model.train.Checkpoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * {@code bench status DIR}: every cell of a shared output directory as finished, running, failed or missing,
 * from the finished cells and the attempts' markers ({@link SharedDir}), and the failed and missing ones as
 * a Slurm array list to resubmit. It only reads.
 */
public final class SweepStatus {
  /** What became of a cell. */
  public enum State { FINISHED, RUNNING, FAILED, MISSING }

  /** One cell's state and a line of detail (host, times, scheduler task, error). */
  public record CellStatus(int index, String id, State state, String detail) {}

  /** The whole directory. */
  public record Report(Suite suite, Path dir, List<CellStatus> cells, int shards, String shardsFrom,
                       Optional<String> mergeRefusal) {
    /** How many cells are in state {@code s}. */
    public long count(State s) {
      return cells.stream().filter(c -> c.state() == s).count();
    }

    /** The array task indexes that hold a failed or missing cell (cell index modulo {@code shards}). */
    public Set<Integer> resubmit() {
      return cells.stream().filter(c -> c.state() == State.FAILED || c.state() == State.MISSING)
          .map(c -> c.index() % shards).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The report as text, one line per cell. */
    public String render() {
      StringBuilder b = new StringBuilder();
      b.append(String.format(Locale.ROOT, "suite %s in %s: %d cells, %d finished, %d running, %d failed, %d missing%n",
          suite.name(), dir, cells.size(), count(State.FINISHED), count(State.RUNNING), count(State.FAILED),
          count(State.MISSING)));
      int width = cells.stream().mapToInt(c -> c.id().length()).max().orElse(0);
      for (CellStatus c : cells) {
        String line = String.format(Locale.ROOT, "%3d  %-" + width + "s  %-8s  %s", c.index(), c.id(),
            c.state().name().toLowerCase(Locale.ROOT), c.detail());
        b.append(line.stripTrailing()).append('\n');
      }
      Set<Integer> again = resubmit();
      if (again.isEmpty()) {
        b.append(count(State.RUNNING) == 0 ? "nothing to resubmit; build the leaderboard with: lddm bench merge "
            + dir : "nothing to resubmit (cells still running)").append('\n');
      } else {
        b.append("resubmit the failed and missing cells: --array=").append(ArraySpec.of(again));
        if (shards != cells.size()) {
          b.append(" (array tasks of --shard I/").append(shards).append(", ").append(shardsFrom).append(')');
        }
        b.append('\n');
      }
      mergeRefusal.ifPresent(r -> b.append("merge would refuse: ").append(r).append('\n'));
      return b.toString();
    }
  }

  private SweepStatus() {}

  /**
   * The state of every cell of {@code out} at {@code now}.
   *
   * @param shards the array size the cells were submitted with, or 0 to take it from the attempts' markers
   *     (their {@code --shard I/N}), else one cell per task
   * @throws IllegalArgumentException when {@code out} holds no suite
   */
  public static Report of(Path out, int shards, Instant now) throws IOException {
    SharedDir dir = new SharedDir(out);
    Suite suite = dir.requireSuite("status");
    String host = ShardRunner.hostName();
    List<Selection.Indexed> all = Selection.all(suite);
    List<CellStatus> cells = new ArrayList<>();
    Set<Integer> seenShards = new TreeSet<>();
    for (Selection.Indexed c : all) {
      String id = c.cell().id();
      List<AttemptMarker> markers = dir.markers(id);
      for (AttemptMarker m : markers) {
        if (!m.shard().isEmpty()) {
          try {
            seenShards.add(Selection.parseShard(m.shard())[1]);
          } catch (IllegalArgumentException notAShard) {
            // Someone else's marker: it does not tell the array size.
          }
        }
      }
      cells.add(cellStatus(dir, c.index(), id, markers, now, host));
    }
    int n = shards;
    String from = "as given";
    if (n == 0) {
      if (seenShards.size() == 1) {
        n = seenShards.iterator().next();
        from = "from the attempts' --shard";
      } else {
        n = all.size();
        from = "one cell per task";
      }
    }
    return new Report(suite, out, cells, n, from, Merge.refusal(dir, suite));
  }

  private static CellStatus cellStatus(SharedDir dir, int index, String id, List<AttemptMarker> markers, Instant now,
                                       String host) throws IOException {
    if (dir.isFinished(id)) {
      return new CellStatus(index, id, State.FINISHED, finishedDetail(dir.cellDir(id).resolve(SharedDir.ATTEMPT_FILE)));
    }
    List<AttemptMarker> live = markers.stream()
        .filter(m -> m.state().equals("running") && ShardRunner.isLive(m, now, host)).toList();
    if (!live.isEmpty()) {
      AttemptMarker m = live.get(live.size() - 1);
      String checkpoint = Checkpoints.newestFirst(dir.workDir(id, m.token())).stream().findFirst()
          .map(p -> ", checkpoint " + p.getFileName()).orElse(", no checkpoint yet");
      return new CellStatus(index, id, State.RUNNING, "on " + m.host() + " since " + m.startedUtc() + sched(m)
          + ", heartbeat " + ago(m.heartbeat(), now) + " ago" + checkpoint
          + (live.size() > 1 ? " (" + live.size() + " attempts running)" : ""));
    }
    Optional<AttemptMarker> last = markers.stream().filter(m -> !m.state().equals("duplicate"))
        .max(Comparator.comparing(AttemptMarker::started).thenComparing(AttemptMarker::token));
    if (last.isPresent()) {
      AttemptMarker m = last.get();
      String what = switch (m.state()) {
        case "running" -> "lost: started on " + m.host() + " at " + m.startedUtc() + sched(m) + ", no heartbeat for "
            + ago(m.heartbeat(), now) + " (killed, or its machine went down)";
        case "failed" -> "failed on " + m.host() + " at " + m.endedUtc() + sched(m) + ": " + m.error();
        case "interrupted" -> "interrupted on " + m.host() + " at " + m.endedUtc() + sched(m) + " (started "
            + m.startedUtc() + ")";
        default -> "its attempt on " + m.host() + " finished at " + m.endedUtc() + " but cells/" + id + " is gone";
      };
      String log = m.log().isEmpty() ? "" : "; log " + m.log();
      String attempts = markers.size() > 1 ? "; " + markers.size() + " attempts" : "";
      return new CellStatus(index, id, State.FAILED, what + log + attempts);
    }
    if (Files.exists(dir.cellDir(id))) {
      return new CellStatus(index, id, State.MISSING, "unfinished plain bench run in " + dir.cellDir(id));
    }
    return new CellStatus(index, id, State.MISSING, "");
  }

  private static String sched(AttemptMarker m) {
    return m.scheduler().isEmpty() ? "" : " (" + m.scheduler() + ")";
  }

  private static String finishedDetail(Path attempt) {
    if (!Files.isRegularFile(attempt)) {
      return "";
    }
    try {
      JsonObject o = JsonParser.parseString(Files.readString(attempt)).getAsJsonObject();
      String s = "on " + o.get("host").getAsString() + ", " + o.get("started_utc").getAsString() + " to "
          + o.get("finished_utc").getAsString();
      String sched = o.has("scheduler") ? o.get("scheduler").getAsString() : "";
      return s + (sched.isEmpty() ? "" : " (" + sched + ")");
    } catch (IOException | RuntimeException e) {
      return "(attempt.json unreadable)";
    }
  }

  /** A short duration: {@code 42s}, {@code 5m10s}, {@code 2h03m}. */
  static String ago(Instant then, Instant now) {
    long s = Math.max(0, Duration.between(then, now).getSeconds());
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
  }
}
