package dev.lddm.harness.sweep;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * What an attempt at a cell records in {@code attempts/ID/TOKEN.json}: written when it starts, rewritten
 * with a heartbeat while it runs and once more when it ends. Times are UTC ISO-8601 to the second.
 *
 * @param state {@code running}; {@code done} (it published the cell); {@code duplicate} (another attempt
 *     published it first, this copy was discarded); {@code failed} (an error, in {@code error});
 *     {@code interrupted} (the process was stopped: scheduler cancel, time limit, Ctrl-C)
 * @param scheduler the scheduler's name for the task ({@code slurm 1234_5}, {@code k8s index 3}) or empty
 * @param log the scheduler's log file of the task, when known, or empty
 */
public record AttemptMarker(String cell, int index, String key, String token, String host, long pid,
                            String startedUtc, String heartbeatUtc, String state, String endedUtc, String error,
                            String shard, String scheduler, String log) {
  /** The states an attempt can be in. */
  public static final List<String> STATES = List.of("running", "done", "duplicate", "failed", "interrupted");

  private static final Gson GSON = new GsonBuilder().setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES)
      .setPrettyPrinting().disableHtmlEscaping().create();

  public AttemptMarker {
    for (var e : new Object[][] {{cell, "cell"}, {key, "key"}, {token, "token"}, {host, "host"},
        {startedUtc, "started_utc"}, {heartbeatUtc, "heartbeat_utc"}, {state, "state"}}) {
      if (e[0] == null || ((String) e[0]).isBlank()) {
        throw new IllegalArgumentException("attempt marker: missing " + e[1]);
      }
    }
    if (!STATES.contains(state)) {
      throw new IllegalArgumentException("attempt marker: state must be one of " + STATES + ", got '" + state + "'");
    }
    instant(startedUtc, "started_utc");
    instant(heartbeatUtc, "heartbeat_utc");
    endedUtc = endedUtc == null ? "" : endedUtc;
    if (!endedUtc.isEmpty()) {
      instant(endedUtc, "ended_utc");
    }
    error = error == null ? "" : error;
    shard = shard == null ? "" : shard;
    scheduler = scheduler == null ? "" : scheduler;
    log = log == null ? "" : log;
  }

  /** The same attempt in another state, ended now (or, for {@code running}, with a fresh heartbeat). */
  AttemptMarker with(String newState, Instant now, String newError) {
    String t = now.toString();
    return new AttemptMarker(cell, index, key, token, host, pid, startedUtc, t, newState,
        newState.equals("running") ? "" : t, newError, shard, scheduler, log);
  }

  /** When the attempt started. */
  public Instant started() {
    return Instant.parse(startedUtc);
  }

  /** The attempt's last sign of life (its start, heartbeats, its end). */
  public Instant heartbeat() {
    return Instant.parse(heartbeatUtc);
  }

  /** The marker file's text (pretty JSON, snake_case). */
  public String toJson() {
    return GSON.toJson(this) + "\n";
  }

  /**
   * Reads {@link #toJson} text.
   *
   * @throws IllegalArgumentException when it is not a marker
   */
  public static AttemptMarker parse(String json) {
    AttemptMarker m;
    try {
      m = GSON.fromJson(json, AttemptMarker.class);
    } catch (JsonParseException e) {
      Throwable root = e;
      while (root.getCause() != null && !(root instanceof IllegalArgumentException)) {
        root = root.getCause();
      }
      throw new IllegalArgumentException(root instanceof IllegalArgumentException ? root.getMessage() : "not JSON", e);
    }
    if (m == null) {
      throw new IllegalArgumentException("empty attempt marker");
    }
    return m;
  }

  private static void instant(String s, String field) {
    try {
      Instant.parse(s);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("attempt marker: " + field + " must be an ISO-8601 UTC time, got '" + s + "'");
    }
  }
}
