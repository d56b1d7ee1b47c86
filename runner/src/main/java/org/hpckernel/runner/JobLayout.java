package org.hpckernel.runner;

/**
 * Names of the files in a job directory, shared by the kernel (which writes the inputs and follows
 * the outputs) and the runner (which reads the inputs and writes events). For array jobs every
 * per-task output gets the task index as a suffix: {@code stdout.3}, {@code events.3.jsonl}.
 *
 * <pre>
 * WORKDIR/runner/hpc-runner-SHA256.jar   shared by every job of the work directory
 * WORKDIR/classes/cell-SHA256.jar        a Java cell as the kernel compiled it (content-addressed)
 * WORKDIR/jars/SHA256.jar                the session's jars (%jars, %maven), one copy per content
 * WORKDIR/jobs/KEY/                            mode 0700
 *   manifest.json      what was submitted (cell, options, declarations, hash, versions)
 *   job.sh             the batch script; what --dry-run shows is what runs
 *   payload            a shebang cell's script (executable)
 *   program.json       a Java cell: {"mainClass": "...", "jar": "ABSOLUTE path of the cell jar",
 *                      "jarSha256": "..."}; mainClass implements org.hpckernel.values.CellProgram
 *   inputs.json        the notebook values the cell uses: {"name": value, ...} (absent: none)
 *   outputs[.I].json   the --out values, {"name": value, ...}, written by the runner only when the
 *                      cell completed, to a temporary name then renamed: the rename marks it complete
 *   classpath.txt      the Java cell's class path, one path per line (jars: their copies in WORKDIR/jars)
 *   stdout[.I], stderr[.I]   the payload's output (redirected by job.sh itself)
 *   events[.I].jsonl   runner events, one JSON object per line
 *   started[.I]        "EPOCH_SECONDS HOSTNAME RUN" written when the payload starts
 *   exit[.I]           "EXIT_CODE EPOCH_SECONDS HOSTNAME RUN stdout=N stderr=N events=N" written by job.sh's
 *                      EXIT trap: the sizes (totals over every run) of the task's stdout, stderr and events
 *                      after the payload exited (absent when a signal stopped it, or from an older job.sh)
 *   runs[.I]           how many times job.sh has run (a requeued job runs again, appending its output)
 *   environment[.I].json  the environment the payload ran in, read on the node after setup; for a
 *                      Java cell the runner adds its own JVM (version, vendor, home) when it starts
 *   scheduler.out      what the scheduler itself writes (cancel and time-limit notices)
 * </pre>
 */
public final class JobLayout {
    public static final String JOBS_DIR = "jobs";
    public static final String RUNNER_DIR = "runner";
    public static final String JARS_DIR = "jars";
    public static final String MANIFEST = "manifest.json";
    public static final String SCRIPT = "job.sh";
    public static final String PAYLOAD = "payload";
    public static final String PROGRAM = "program.json";
    public static final String INPUTS = "inputs.json";
    public static final String CLASSES_DIR = "classes";
    // Deprecated: the replayed-JShell layout (a cell's source and the notebook's declarations). The
    // runner no longer reads them; kept only until the kernel stops writing them.
    public static final String CELL = "cell.jsh";
    public static final String DECLARATIONS = "declarations.jsh";
    public static final String CLASSPATH = "classpath.txt";
    public static final String SCHEDULER_OUT = "scheduler.out";

    private JobLayout() {}

    public static String stdout(Integer arrayIndex) {
        return withIndex("stdout", arrayIndex, "");
    }

    public static String stderr(Integer arrayIndex) {
        return withIndex("stderr", arrayIndex, "");
    }

    public static String events(Integer arrayIndex) {
        return withIndex("events", arrayIndex, ".jsonl");
    }

    public static String started(Integer arrayIndex) {
        return withIndex("started", arrayIndex, "");
    }

    public static String exit(Integer arrayIndex) {
        return withIndex("exit", arrayIndex, "");
    }

    public static String runs(Integer arrayIndex) {
        return withIndex("runs", arrayIndex, "");
    }

    /** Written by the runner with the values of --out, only when the cell completed. */
    public static String outputs(Integer arrayIndex) {
        return withIndex("outputs", arrayIndex, ".json");
    }

    /** The compiled cell's jar, in {@link #CLASSES_DIR}, named by its content. */
    public static String cellJar(String sha256) {
        return "cell-" + sha256 + ".jar";
    }

    public static String environment(Integer arrayIndex) {
        return withIndex("environment", arrayIndex, ".json");
    }

    public static String runnerJar(String sha256) {
        return "hpc-runner-" + sha256 + ".jar";
    }

    /** A class-path jar in {@link #JARS_DIR}, named by its content. */
    public static String cachedJar(String sha256) {
        return sha256 + ".jar";
    }

    private static String withIndex(String base, Integer index, String extension) {
        return index == null ? base + extension : base + "." + index + extension;
    }
}
