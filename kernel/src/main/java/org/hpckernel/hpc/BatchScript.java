package org.hpckernel.hpc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hpckernel.hpc.environment.EnvironmentScript;
import org.hpckernel.hpc.scheduler.JobSpec;
import org.hpckernel.hpc.scheduler.Scheduler;
import org.hpckernel.hpc.scheduler.UnsupportedOptionException;
import org.hpckernel.hpc.transport.ShellQuote;
import org.hpckernel.runner.JobLayout;

/**
 * Renders job.sh: the scheduler's directives, then one common body. The body redirects the
 * payload's output into the job directory itself (so every scheduler yields the same files),
 * writes a start marker, and an exit marker from an EXIT trap: the kernel learns that a running
 * job ended by reading a file, without asking the scheduler. Output is appended and the markers
 * carry the run number, so a requeued job's runs follow each other in the same files. Every value
 * that is not ours is quoted by {@link ShellQuote}; profile {@code setup} lines are the user's own
 * shell text.
 */
public final class BatchScript {
    /** What the job runs: a shebang script in the job directory, or the Java runner. */
    public sealed interface Payload {}

    /** {@code outputs}: the cell's {@code --out} names, which the script must write into $HPC_OUTPUTS. */
    public record ShebangPayload(List<String> outputs) implements Payload {
        public ShebangPayload {
            outputs = List.copyOf(outputs);
            for (String name : outputs) {
                if (!name.matches("[A-Za-z_$][A-Za-z0-9_$]*")) throw new IllegalArgumentException("not a Java name: " + name);
            }
        }

        public ShebangPayload() {
            this(List.of());
        }
    }

    /**
     * {@code runnerSha256}, {@code cellJarSha256}: the jars' expected hashes, checked on the node
     * before either is used; {@code cellJarPath} holds the cell's compiled classes; {@code jars}: the
     * cached class-path jars (%jars, %maven), each checked the same way.
     */
    public record JavaPayload(String java, List<String> jvmOptions, String runnerJarPath, String runnerSha256,
            String cellJarPath, String cellJarSha256, List<JobClasspath.CachedJar> jars) implements Payload {
        public JavaPayload(String java, List<String> jvmOptions, String runnerJarPath, String runnerSha256,
                String cellJarPath, String cellJarSha256) {
            this(java, jvmOptions, runnerJarPath, runnerSha256, cellJarPath, cellJarSha256, List.of());
        }
    }

    /** How job.sh waits for its payload, started in the background: silently (see {@link #render}). */
    private static final String WAIT = "wait $! 2>/dev/null";

    /** job.sh's exit code when the runner jar on the node is not the one the kernel staged. */
    public static final int RUNNER_REFUSED = 126;

    /** job.sh's exit code when a #! script that exited 0 did not write one of its --out files. */
    public static final int OUTPUT_NOT_WRITTEN = 1;

    /**
     * Node-side JVM flags. Unlike the kernel, the runner keeps C2 and the JVM's own GC choice: a
     * compute node is where heavy work runs (C1 only was 2.8x slower on a stream-heavy cell); the
     * start-up cost is taken down by the CDS archive instead.
     */
    public static final List<String> RUNNER_JVM_OPTIONS = List.of("-Djava.awt.headless=true", "-Dfile.encoding=UTF-8");

    private BatchScript() {}

    public static String render(Scheduler scheduler, JobSpec spec, String workdir, List<String> setup, Payload payload,
            String description) throws UnsupportedOptionException {
        List<String> lines = new ArrayList<>();
        lines.add("#!/bin/bash");
        lines.addAll(scheduler.directives(spec));
        lines.add("# " + description.replace('\n', ' '));
        lines.add("export HPC_JOB_DIR=" + ShellQuote.quote(spec.jobDir()));
        lines.add("export HPC_CLUSTER=" + ShellQuote.quote(spec.cluster()));
        lines.add("export HPC_JOB_ID=\"" + scheduler.jobIdVariable() + "\"");
        lines.add("export HPC_ARRAY_INDEX=\"" + scheduler.arrayIndexVariable() + "\"");
        lines.add("hpc_suffix=\"${HPC_ARRAY_INDEX:+.$HPC_ARRAY_INDEX}\"");
        // A requeued job (scontrol requeue, preemption, node failure) runs this script again in the
        // same directory: runs are numbered so that the kernel can tell the last run's exit marker
        // from a stale one, and the previous run's exit marker goes before the new run starts.
        lines.add("hpc_run=; read -r hpc_run 2>/dev/null < \"$HPC_JOB_DIR/" + JobLayout.runs(null) + "$hpc_suffix\";"
                + " hpc_run=${hpc_run//[!0-9]/}; hpc_run=$(( 10#${hpc_run:-0} + 1 ))");
        lines.add("echo \"$hpc_run\" > \"$HPC_JOB_DIR/" + JobLayout.runs(null) + "$hpc_suffix\"; export HPC_JOB_RUN=$hpc_run");
        lines.add("[ \"$hpc_run\" -gt 1 ] && rm -f \"$HPC_JOB_DIR/exit$hpc_suffix\"");
        String release = scheduler.releaseSlot();
        // Markers are written beside and renamed into place: `printf > exit` creates an empty file
        // first, and a kernel reading it in between would take an empty marker for the end.
        lines.addAll(sizeFunctions());
        lines.add("trap 'hpc_rc=$?; " + (release.isEmpty() ? "" : release + "; ")
                + "printf \"%s %s %s %s%s\\n\" \"$hpc_rc\" \"$(date +%s)\" \"$(hostname)\" \"$hpc_run\" \"$(hpc_sizes)\""
                + " > \"$HPC_JOB_DIR/.exit$hpc_suffix.$$\";"
                + " mv -f \"$HPC_JOB_DIR/.exit$hpc_suffix.$$\" \"$HPC_JOB_DIR/exit$hpc_suffix\"' EXIT");
        // Without these traps bash dies on a cancel or time limit without running the EXIT trap
        // (TERM: Slurm, PBS, local; INT and USR2: LSF's bkill and run limit). Grid Engine and OAR
        // kill with SIGKILL: there the monitor takes the end from the scheduler and its accounting.
        // The payload runs in the background and job.sh waits for it: a trapped signal interrupts
        // `wait` at once (it would wait for a foreground payload to end), and the trap passes it
        // on as TERM, so a signal that reaches job.sh alone, or just before the payload started,
        // still stops the payload. `wait`'s own stderr goes nowhere: bash reports a child killed by
        // a signal it does not trap ("job.sh: line 51: 1234 Killed ...") there, into the job's
        // stderr; the cell's error names the signal instead.
        // A payload stopped by a signal may still be writing when the EXIT trap runs: its marker
        // then carries no sizes, and the kernel waits for the files to stop growing instead.
        lines.add("hpc_stop_payload() { if [ -n \"${hpc_launching:-}\" ]; then kill -TERM $! 2>/dev/null; hpc_unsized=1; fi; exit \"$1\"; }");
        lines.add("trap 'hpc_stop_payload 143' TERM; trap 'hpc_stop_payload 130' INT; trap 'hpc_stop_payload 140' USR2");
        // Append, never truncate: the kernel follows these files by offset, across runs.
        lines.add("exec >>\"$HPC_JOB_DIR/stdout$hpc_suffix\" 2>>\"$HPC_JOB_DIR/stderr$hpc_suffix\"");
        lines.addAll(scheduler.prologue(workdir));
        lines.add("printf '%s %s %s\\n' \"$(date +%s)\" \"$(hostname)\" \"$hpc_run\" > \"$HPC_JOB_DIR/.started$hpc_suffix.$$\";"
                + " mv -f \"$HPC_JOB_DIR/.started$hpc_suffix.$$\" \"$HPC_JOB_DIR/started$hpc_suffix\"");
        lines.addAll(setup);
        lines.addAll(EnvironmentScript.functions());
        lines.addAll(EnvironmentScript.modules(spec.modules(), spec.environment()));
        for (Map.Entry<String, String> e : spec.env().entrySet()) {
            lines.add("export " + e.getKey() + "=" + ShellQuote.quote(e.getValue()));
        }
        lines.add("cd \"$HPC_JOB_DIR\"");
        // The payload runs in the job's container or Guix shell (EnvironmentScript.WRAP), after the
        // node has recorded the environment it runs in.
        lines.addAll(EnvironmentScript.wrapper(spec.environment(), workdir, spec.jobDir(), spec.env().keySet()));
        if (payload instanceof JavaPayload java) {
            String inside = EnvironmentScript.java(java.java(), spec.environment());
            lines.addAll(EnvironmentScript.record(spec.environment(), inside));
            lines.addAll(javaPayload(new JavaPayload(inside, java.jvmOptions(), java.runnerJarPath(), java.runnerSha256(),
                    java.cellJarPath(), java.cellJarSha256(), java.jars())));
        } else if (payload instanceof ShebangPayload shebang) {
            // The script's values: --in files are staged in the job directory; each array task gets
            // its own directory for --out files, so tasks cannot overwrite each other's.
            lines.add("export HPC_INPUTS=\"$HPC_JOB_DIR/" + ValueFiles.SCRIPT_INPUTS_DIR + "\"");
            lines.add("export HPC_OUTPUTS=\"$HPC_JOB_DIR/" + ValueFiles.scriptOutputsDir(null) + "$hpc_suffix\"");
            lines.add("mkdir -p -- \"$HPC_OUTPUTS\"");
            lines.addAll(EnvironmentScript.record(spec.environment(), null));
            lines.add("hpc_launching=1");
            lines.add(EnvironmentScript.WRAP + "\"$HPC_JOB_DIR/" + JobLayout.PAYLOAD + "\" & " + WAIT);
            lines.addAll(requireOutputs(shebang.outputs()));
        }
        return String.join("\n", lines) + "\n";
    }

    /**
     * A script that exits 0 without writing one of its {@code --out} files fails its job, here on the
     * node where the file would be: the kernel would otherwise look for it for the whole file-system
     * lag before failing the cell. Its stderr line says which name, and the cell's error shows it.
     */
    static List<String> requireOutputs(List<String> outputs) {
        if (outputs.isEmpty()) return List.of();
        return List.of("hpc_rc=$?",
                "if [ \"$hpc_rc\" -eq 0 ]; then for hpc_out in " + ShellQuote.join(outputs) + "; do"
                        + " if [ ! -e \"$HPC_OUTPUTS/$hpc_out.json\" ]; then"
                        + " echo \"hpc-kernel: the script exited 0 without writing \\$HPC_OUTPUTS/$hpc_out.json, so --out $hpc_out has no value\" >&2;"
                        + " hpc_rc=" + OUTPUT_NOT_WRITTEN + "; fi; done; fi",
                "exit \"$hpc_rc\"");
    }

    /**
     * The runner is run only after the node has checked it: the jar must be the user's own file with
     * the SHA-256 this script names (else the job fails with the reason in stderr, and a bad jar of
     * the user's is removed so that the kernel uploads it again for the next Java cell).
     * <p>
     * Class-data sharing: the first Java job of a work directory writes the archive (under its own
     * name) and its SHA-256, links the archive into place without overwriting (of two first jobs only
     * one wins) and, if it won, moves its hash beside it. A job uses the archive only when both files are the user's and the hash matches; a
     * mismatch is reported and the pair removed, so the next job writes a fresh one. The runner
     * directory itself was checked private by the kernel before submission. A JVM that cannot use
     * the archive (another JDK) ignores it.
     */
    /**
     * The lines that refuse a jar (in shell variable {@code var}) unless it is the user's own file
     * with the SHA-256 the kernel staged; a bad jar of the user's is removed, so the kernel uploads
     * it again for the next Java cell.
     */
    private static void verifyJar(List<String> lines, String var, String sha, String what) {
        if (!sha.matches("[0-9a-f]{64}")) throw new IllegalArgumentException("not a SHA-256: " + sha);
        String v = "\"$" + var + "\"";
        lines.add("if [ ! -f " + v + " ] || [ ! -O " + v + " ] || [ \"$(hpc_sha256 " + v + ")\" != " + sha + " ]; then");
        lines.add("  if [ ! -f " + v + " ]; then hpc_why='it is missing'; elif [ ! -O " + v + " ]; then hpc_why='it belongs to another user';"
                + " else hpc_why=\"its SHA-256 is $(hpc_sha256 " + v + "), not " + sha + " (corrupted or replaced)\"; fi");
        lines.add("  echo \"hpc-kernel: refusing to run " + what + " $" + var + ": $hpc_why. The kernel uploads it again for the next Java cell.\" >&2");
        lines.add("  [ -f " + v + " ] && [ -O " + v + " ] && rm -f -- " + v);
        lines.add("  exit " + RUNNER_REFUSED);
        lines.add("fi");
    }

    /**
     * The sizes the exit marker records ({@link ExitMarker}): of every file the kernel follows for
     * the task, taken in the EXIT trap, after the payload has exited and closed them, so the kernel
     * knows how much there is to read without waiting for the files to stop growing. {@code wc -c}
     * because stat's options differ between GNU and BSD; its redirections in that order so that a
     * missing file (a shebang job writes no events) says nothing into the job's stderr; BSD's
     * padding goes with the non-digits.
     */
    static List<String> sizeFunctions() {
        return List.of("hpc_size() { local n; n=$(wc -c 2>/dev/null < \"$1\") || n=0; n=${n//[!0-9]/}; printf '%s' \"${n:-0}\"; }",
                "hpc_sizes() { [ -n \"${hpc_unsized:-}\" ] && return; printf ' " + ExitMarker.STDOUT + "=%s " + ExitMarker.STDERR
                        + "=%s " + ExitMarker.EVENTS + "=%s'"
                        + " \"$(hpc_size \"$HPC_JOB_DIR/" + JobLayout.stdout(null) + "$hpc_suffix\")\""
                        + " \"$(hpc_size \"$HPC_JOB_DIR/" + JobLayout.stderr(null) + "$hpc_suffix\")\""
                        + " \"$(hpc_size \"$HPC_JOB_DIR/" + JobLayout.events(null).replace(".jsonl", "") + "$hpc_suffix.jsonl\")\"; }");
    }

    /** Free space (KiB) needed before a job writes the CDS archive: about five archives. */
    static final long ARCHIVE_MIN_FREE_KIB = 64 * 1024;

    private static List<String> javaPayload(JavaPayload java) {
        List<String> lines = new ArrayList<>();
        String jar = java.runnerJarPath();
        lines.add("hpc_jar=" + ShellQuote.quote(jar));
        lines.add("hpc_jsa=" + ShellQuote.quote(jar.replaceAll("\\.jar$", "") + ".jsa"));
        verifyJar(lines, "hpc_jar", java.runnerSha256(), "the runner jar");
        lines.add("hpc_cell_jar=" + ShellQuote.quote(java.cellJarPath()));
        verifyJar(lines, "hpc_cell_jar", java.cellJarSha256(), "the cell's compiled classes");
        lines.addAll(JobClasspath.nodeChecks(java.jars(), RUNNER_REFUSED));
        lines.add("hpc_cds=()");
        // An archive without its hash (an older kernel's, or from a job that died between the two
        // links) is removed once it is too old to be a link in progress: the next job makes a new one.
        lines.add("[ -e \"$hpc_jsa\" ] && [ ! -e \"$hpc_jsa.sha256\" ] && [ -O \"$hpc_jsa\" ]"
                + " && [ -n \"$(find \"$hpc_jsa\" -mmin +1 2>/dev/null)\" ] && rm -f -- \"$hpc_jsa\"");
        lines.add("if [ -e \"$hpc_jsa\" ] && [ -e \"$hpc_jsa.sha256\" ]; then");
        lines.add("  if [ -O \"$hpc_jsa\" ] && [ -O \"$hpc_jsa.sha256\" ] && [ \"$(hpc_sha256 \"$hpc_jsa\")\" = \"$(cat -- \"$hpc_jsa.sha256\")\" ]; then");
        lines.add("    hpc_cds=(-XX:SharedArchiveFile=\"$hpc_jsa\" -Xlog:cds=off -Xlog:cds+dynamic=off)");
        lines.add("  else");
        lines.add("    echo \"hpc-kernel: not using the class-data archive $hpc_jsa: it is not yours or does not match its recorded SHA-256\" >&2");
        lines.add("    [ -O \"$hpc_jsa\" ] && rm -f -- \"$hpc_jsa\" \"$hpc_jsa.sha256\"");
        lines.add("  fi");
        lines.add("fi");
        // A JVM that cannot write its archive at exit fails the job (exit 1 after the cell's work):
        // an archive (~13 MB) is asked for only with room to spare on the work directory's file system.
        lines.add("hpc_free=$(df -Pk -- \"${hpc_jsa%/*}\" 2>/dev/null | { read -r _; read -r _ _ _ a _; echo \"${a:-0}\"; })");
        lines.add("[ -e \"$hpc_jsa\" ] || [ \"${hpc_free:-0}\" -lt " + ARCHIVE_MIN_FREE_KIB + " ] 2>/dev/null"
                + " || hpc_cds=(-XX:ArchiveClassesAtExit=\"$hpc_jsa.$$\" -Xlog:cds=off -Xlog:cds+dynamic=off)");
        List<String> argv = new ArrayList<>(java.jvmOptions());
        // Another JVM (the image's, Guix's) would neither use nor should write this JVM's archive.
        lines.add("[ ${#hpc_wrap[@]} -gt 0 ] && hpc_cds=()");
        lines.add("hpc_launching=1");
        lines.add(EnvironmentScript.WRAP + ShellQuote.quote(java.java()) + " \"${hpc_cds[@]}\" " + ShellQuote.join(argv) + " -jar \"$hpc_jar\" \"$HPC_JOB_DIR\" & " + WAIT);
        lines.add("hpc_rc=$?");
        lines.add("if [ -s \"$hpc_jsa.$$\" ] && [ $hpc_rc -eq 0 ] && hpc_sha256 \"$hpc_jsa.$$\" > \"$hpc_jsa.$$.sha256\""
                + " && ln -- \"$hpc_jsa.$$\" \"$hpc_jsa\" 2>/dev/null; then mv -f -- \"$hpc_jsa.$$.sha256\" \"$hpc_jsa.sha256\"; fi");
        lines.add("rm -f -- \"$hpc_jsa.$$\" \"$hpc_jsa.$$.sha256\"");
        lines.add("exit $hpc_rc");
        return lines;
    }
}
