package dev.lddm.harness.sweep;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import dev.lddm.harness.suite.CellKey;
import dev.lddm.harness.suite.Suite;
import dev.lddm.harness.suite.SuiteRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench --emit slurm|k8s}: a suite as a scheduler's array of tasks, each running {@code bench --shard
 * T/N} into one shared output directory. The suite is pinned by its hash ({@code --suite-hash}): a task whose
 * suite file changed after the script was emitted refuses to run.
 *
 * <p>Resources default from the suite's presets (the largest wins; {@code micro}: 1 CPU, 2 GiB; {@code small}:
 * 2 CPUs, 4 GiB; {@code tiny}: 4 CPUs, 16 GiB, 1 GPU; {@code base}: 8 CPUs, 32 GiB, 1 GPU). The Slurm time
 * limit defaults to twice the estimated training plus 10 minutes per cell, where the estimate means
 * something (a wall-clock budget, or CPU presets); for GPU presets with a step budget there is none unless
 * {@code --time} is given.
 */
public final class Emit {
  private Emit() {}

  /** What the scheduler should give each task. */
  public record Resources(int cpus, int memGiB, int gpus) {
    public Resources {
      if (cpus < 1 || memGiB < 1 || gpus < 0) {
        throw new IllegalArgumentException("resources need cpus >= 1, mem >= 1 GiB, gpus >= 0, got " + cpus + ", "
            + memGiB + ", " + gpus);
      }
    }
  }

  private static final Map<String, Resources> BY_PRESET = Map.of(
      "micro", new Resources(1, 2, 0),
      "small", new Resources(2, 4, 0),
      "tiny", new Resources(4, 16, 1),
      "base", new Resources(8, 32, 1));

  /** The presets that are meant for a GPU. */
  static boolean gpuPreset(String preset) {
    return BY_PRESET.getOrDefault(preset, new Resources(1, 1, 0)).gpus() > 0;
  }

  /** The largest preset resources of the suite, with at least {@code threads} CPUs. */
  public static Resources defaults(Suite suite, int threads) {
    int cpus = 1;
    int mem = 1;
    int gpus = 0;
    for (String p : suite.presets()) {
      Resources r = BY_PRESET.getOrDefault(p, new Resources(2, 4, 0));
      cpus = Math.max(cpus, r.cpus());
      mem = Math.max(mem, r.memGiB());
      gpus = Math.max(gpus, r.gpus());
    }
    return new Resources(Math.max(cpus, threads), mem, gpus);
  }

  /**
   * What every emitted task runs.
   *
   * @param suiteArg the {@code --suite} value the tasks pass (a built-in name or an absolute path)
   * @param out the shared output directory as the tasks see it (absolute)
   * @param lddm the command that runs lddm on a node, e.g. {@code /opt/lddm/scripts/lddm}
   * @param perTask cells per array task (the array has ceil(cells / perTask) tasks)
   * @param throttle at most this many tasks at once, or 0 for no limit
   */
  public record Sweep(Suite suite, String suiteArg, String out, String lddm, int threads, int perTask, int throttle,
                      Resources resources) {
    public Sweep {
      if (perTask < 1) {
        throw new IllegalArgumentException("--per-task must be >= 1, got " + perTask);
      }
      int cells = Selection.all(suite).size();
      if (perTask > cells) {
        throw new IllegalArgumentException("--per-task " + perTask + " exceeds the " + cells + " cells of suite "
            + suite.name() + "; use at most " + cells);
      }
      if (throttle < 0) {
        throw new IllegalArgumentException("--throttle must be >= 1, got " + throttle);
      }
    }

    /** How many array tasks. */
    public int tasks() {
      int cells = Selection.all(suite).size();
      return (cells + perTask - 1) / perTask;
    }

    String suiteHash() {
      return CellKey.suiteHash(suite);
    }

    /** {@code task T: 0 id, 4 id} lines, one per task, for the header. */
    List<String> taskLines() {
      int n = tasks();
      List<String> lines = new ArrayList<>();
      for (int t = 0; t < n; t++) {
        List<String> cells = new ArrayList<>();
        for (Selection.Indexed c : Selection.byShard(suite, t + "/" + n)) {
          cells.add(c.index() + " " + c.cell().id());
        }
        lines.add("task " + t + ": " + String.join(", ", cells));
      }
      return lines;
    }

    /** The longest estimated training of one task, in seconds, or -1 when the estimate means nothing here. */
    double longestTaskSeconds() {
      boolean timed = suite.budget().minutes() > 0;
      if (!timed && suite.presets().stream().anyMatch(Emit::gpuPreset)) {
        return -1;
      }
      SuiteRunner r = new SuiteRunner(suite, java.nio.file.Path.of(out), new java.io.PrintWriter(
          java.io.Writer.nullWriter()), threads);
      int n = tasks();
      double longest = 0;
      for (int t = 0; t < n; t++) {
        double sum = 0;
        for (Selection.Indexed c : Selection.byShard(suite, t + "/" + n)) {
          sum += 2 * r.estimatedTrainSeconds(c.cell()) + 600;
        }
        longest = Math.max(longest, sum);
      }
      return longest;
    }
  }

  /** Slurm's {@code D-HH:MM:SS}, rounded up to whole minutes. */
  static String slurmTime(double seconds) {
    long m = (long) Math.ceil(seconds / 60);
    return String.format(Locale.ROOT, "%d-%02d:%02d:00", m / 1440, (m % 1440) / 60, m % 60);
  }

  /** A word for the shell, single-quoted when it holds anything but safe characters. */
  static String sh(String s) {
    if (s.matches("[A-Za-z0-9_./:=@%+,-]+")) {
      return s;
    }
    return "'" + s.replace("'", "'\\''") + "'";
  }

  /**
   * The {@code sbatch} script of a sweep.
   *
   * @param partition a partition, or empty for the cluster's default
   * @param time a time limit ({@code D-HH:MM:SS}, {@code HH:MM:SS}, minutes), or empty for the default above
   */
  public static String slurm(Sweep s, String partition, String time, String generatedBy) {
    int n = s.tasks();
    int cells = Selection.all(s.suite()).size();
    String name = "lddm-" + s.suite().name();
    String limit = time;
    String limitWhy = "given with --time";
    if (limit.isEmpty()) {
      double t = s.longestTaskSeconds();
      if (t > 0) {
        limit = slurmTime(t);
        limitWhy = "twice the estimated training + 10 min per cell; --time changes it";
      } else {
        limitWhy = "none: GPU presets have no estimate here; the partition's default applies (--time sets one)";
      }
    }
    StringBuilder b = new StringBuilder("#!/bin/bash\n");
    b.append("#SBATCH --job-name=").append(name).append('\n');
    b.append("#SBATCH --array=0-").append(n - 1).append(s.throttle() > 0 ? "%" + s.throttle() : "").append('\n');
    b.append("#SBATCH --output=").append(s.out()).append("/logs/%x-%A_%a.out\n");
    b.append("#SBATCH --open-mode=append\n");
    b.append("#SBATCH --cpus-per-task=").append(s.resources().cpus()).append('\n');
    b.append("#SBATCH --mem=").append(s.resources().memGiB()).append("G\n");
    if (!limit.isEmpty()) {
      b.append("#SBATCH --time=").append(limit).append('\n');
    }
    if (!partition.isEmpty()) {
      b.append("#SBATCH --partition=").append(partition).append('\n');
    }
    if (s.resources().gpus() > 0) {
      b.append("#SBATCH --gpus-per-task=").append(s.resources().gpus()).append('\n');
    }
    b.append("#\n");
    b.append("# lddm bench: suite ").append(s.suite().name()).append(" (suite hash ").append(s.suiteHash()).append("), ")
        .append(cells).append(" cells, ").append(s.perTask()).append(" per array task: ").append(n).append(" tasks")
        .append(s.throttle() > 0 ? ", at most " + s.throttle() + " at once" : "").append(".\n");
    b.append("# ").append(generatedBy).append(". Time limit: ").append(limitWhy).append(".\n");
    b.append("# Array task T runs --shard T/").append(n).append(": the cells whose index (bench --list-cells) is T")
        .append(" modulo ").append(n).append(".\n");
    for (String line : s.taskLines()) {
      b.append("#   ").append(line).append('\n');
    }
    b.append("# A task skips finished cells and continues an interrupted one from its newest checkpoint.\n");
    b.append("#   submit:      mkdir -p ").append(s.out()).append("/logs && sbatch THIS_FILE   (other sbatch options,")
        .append(" e.g. -A ACCOUNT, go on that line)\n");
    b.append("#   progress:    lddm bench status ").append(s.out()).append('\n');
    b.append("#   resubmit:    sbatch --array=LIST THIS_FILE   (LIST as bench status prints it)\n");
    b.append("#   leaderboard: lddm bench merge ").append(s.out()).append('\n');
    b.append("set -euo pipefail\n");
    b.append("export TF_CPP_MIN_LOG_LEVEL=\"${TF_CPP_MIN_LOG_LEVEL:-2}\"\n");
    b.append("exec ").append(s.lddm()).append(" bench --suite ").append(sh(s.suiteArg())).append(" --out ")
        .append(sh(s.out())).append(" --shard \"${SLURM_ARRAY_TASK_ID}/").append(n).append("\" --suite-hash ")
        .append(s.suiteHash()).append(" --threads ").append(s.threads()).append('\n');
    return b.toString();
  }

  private static final Gson JSON = new GsonBuilder().disableHtmlEscaping().create();

  /** A YAML scalar: JSON's double-quoted string, which YAML reads the same. */
  static String q(String s) {
    return JSON.toJson(s);
  }

  /** A Kubernetes object name from the suite's: lower case, {@code [a-z0-9-]}, at most 50 characters. */
  static String k8sName(Suite suite) {
    String n = ("lddm-" + suite.name()).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-");
    if (n.length() > 50) {
      n = n.substring(0, 50);
    }
    return n.replaceAll("-+$", "");
  }

  /** Where the Kubernetes tasks mount the suite and the shared volume. */
  static final String K8S_SUITE_DIR = "/lddm/suite";
  static final String K8S_RUNS_DIR = "/lddm/runs";

  /**
   * A Kubernetes Indexed Job (with a ConfigMap holding the suite): {@code completions} = tasks, the completion
   * index ({@code JOB_COMPLETION_INDEX}) selects the shard, {@code parallelism} = the throttle, the output
   * directory on a ReadWriteMany persistent volume claim.
   *
   * @param image a container image with lddm built
   * @param claim the persistent volume claim that every pod mounts at {@value #K8S_RUNS_DIR}
   */
  public static String kubernetes(Sweep s, String image, String claim, String generatedBy) {
    String name = k8sName(s.suite());
    int n = s.tasks();
    StringBuilder b = new StringBuilder();
    b.append("# lddm bench: suite ").append(s.suite().name()).append(" (suite hash ").append(s.suiteHash())
        .append("), ").append(Selection.all(s.suite()).size()).append(" cells, ").append(s.perTask())
        .append(" per index: ").append(n).append(" indexes. ").append(generatedBy).append(".\n");
    b.append("# Index T runs --shard T/").append(n).append(":\n");
    for (String line : s.taskLines()) {
      b.append("#   ").append(line.replaceFirst("^task", "index")).append('\n');
    }
    b.append("# Apply: kubectl apply -f THIS_FILE. Results: ").append(s.out()).append(" on the claim ").append(claim)
        .append(" (ReadWriteMany).\n");
    b.append("# Progress and leaderboard, from any pod or machine that mounts it: lddm bench status|merge ")
        .append(s.out()).append('\n');
    b.append("apiVersion: v1\n");
    b.append("kind: ConfigMap\n");
    b.append("metadata:\n");
    b.append("  name: ").append(q(name + "-suite")).append('\n');
    b.append("  labels:\n");
    b.append("    app.kubernetes.io/name: lddm\n");
    b.append("    lddm/suite-hash: ").append(q(s.suiteHash())).append('\n');
    b.append("data:\n");
    b.append("  suite.json: |\n");
    for (String line : s.suite().toJson().split("\n", -1)) {
      b.append("    ").append(line).append('\n');
    }
    b.append("---\n");
    b.append("apiVersion: batch/v1\n");
    b.append("kind: Job\n");
    b.append("metadata:\n");
    b.append("  name: ").append(q(name)).append('\n');
    b.append("  labels:\n");
    b.append("    app.kubernetes.io/name: lddm\n");
    b.append("    lddm/suite-hash: ").append(q(s.suiteHash())).append('\n');
    b.append("spec:\n");
    b.append("  completionMode: Indexed\n");
    b.append("  completions: ").append(n).append('\n');
    b.append("  parallelism: ").append(s.throttle() > 0 ? Math.min(s.throttle(), n) : n).append('\n');
    b.append("  backoffLimit: ").append(3 * n).append('\n');
    b.append("  template:\n");
    b.append("    metadata:\n");
    b.append("      labels:\n");
    b.append("        app.kubernetes.io/name: lddm\n");
    b.append("    spec:\n");
    b.append("      restartPolicy: Never\n");
    b.append("      containers:\n");
    b.append("        - name: bench\n");
    b.append("          image: ").append(q(image)).append('\n');
    b.append("          command:\n");
    List<String> command = new ArrayList<>(List.of(s.lddm().split(" +")));
    command.addAll(List.of("bench", "--suite", K8S_SUITE_DIR + "/suite.json", "--out", s.out(), "--shard",
        "$(JOB_COMPLETION_INDEX)/" + n, "--suite-hash", s.suiteHash(), "--threads", Integer.toString(s.threads())));
    for (String c : command) {
      b.append("            - ").append(q(c)).append('\n');
    }
    b.append("          env:\n");
    b.append("            - name: JOB_COMPLETION_INDEX\n");
    b.append("              valueFrom:\n");
    b.append("                fieldRef:\n");
    b.append("                  fieldPath: ")
        .append(q("metadata.annotations['batch.kubernetes.io/job-completion-index']")).append('\n');
    b.append("            - name: TF_CPP_MIN_LOG_LEVEL\n");
    b.append("              value: \"2\"\n");
    b.append("          resources:\n");
    b.append("            requests:\n");
    b.append("              cpu: ").append(q(Integer.toString(s.resources().cpus()))).append('\n');
    b.append("              memory: ").append(q(s.resources().memGiB() + "Gi")).append('\n');
    b.append("            limits:\n");
    b.append("              memory: ").append(q(s.resources().memGiB() + "Gi")).append('\n');
    if (s.resources().gpus() > 0) {
      b.append("              nvidia.com/gpu: ").append(q(Integer.toString(s.resources().gpus()))).append('\n');
    }
    b.append("          volumeMounts:\n");
    b.append("            - name: runs\n");
    b.append("              mountPath: ").append(q(K8S_RUNS_DIR)).append('\n');
    b.append("            - name: suite\n");
    b.append("              mountPath: ").append(q(K8S_SUITE_DIR)).append('\n');
    b.append("              readOnly: true\n");
    b.append("      volumes:\n");
    b.append("        - name: runs\n");
    b.append("          persistentVolumeClaim:\n");
    b.append("            claimName: ").append(q(claim)).append('\n');
    b.append("        - name: suite\n");
    b.append("          configMap:\n");
    b.append("            name: ").append(q(name + "-suite")).append('\n');
    return b.toString();
  }
}
