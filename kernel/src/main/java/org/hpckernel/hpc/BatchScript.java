package org.hpckernel.hpc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hpckernel.hpc.scheduler.JobSpec;
import org.hpckernel.hpc.scheduler.Scheduler;
import org.hpckernel.hpc.scheduler.UnsupportedOptionException;
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

    public record ShebangPayload() implements Payload {}

    public record JavaPayload(String java, List<String> jvmOptions, String runnerJarPath) implements Payload {}

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
        lines.add("trap 'hpc_rc=$?; " + (release.isEmpty() ? "" : release + "; ")
                + "printf \"%s %s %s %s\\n\" \"$hpc_rc\" \"$(date +%s)\" \"$(hostname)\" \"$hpc_run\" > \"$HPC_JOB_DIR/exit$hpc_suffix\"' EXIT");
        // Without these traps bash dies on a cancel or time limit without running the EXIT trap
        // (TERM: Slurm, PBS, local; INT and USR2: LSF's bkill and run limit). Grid Engine and OAR
        // kill with SIGKILL: there the monitor takes the end from the scheduler and its accounting.
        lines.add("trap 'exit 143' TERM; trap 'exit 130' INT; trap 'exit 140' USR2");
        // Append, never truncate: the kernel follows these files by offset, across runs.
        lines.add("exec >>\"$HPC_JOB_DIR/stdout$hpc_suffix\" 2>>\"$HPC_JOB_DIR/stderr$hpc_suffix\"");
        lines.addAll(scheduler.prologue(workdir));
        lines.add("printf '%s %s %s\\n' \"$(date +%s)\" \"$(hostname)\" \"$hpc_run\" > \"$HPC_JOB_DIR/started$hpc_suffix\"");
        lines.addAll(setup);
        for (String module : spec.modules()) lines.add("module load " + ShellQuote.quote(module));
        for (Map.Entry<String, String> e : spec.env().entrySet()) {
            lines.add("export " + e.getKey() + "=" + ShellQuote.quote(e.getValue()));
        }
        lines.add("cd \"$HPC_JOB_DIR\"");
        if (payload instanceof JavaPayload java) {
            // Class-data sharing for the runner: the first Java job of a work directory writes the
            // archive (under its own name, then renamed into place); later ones start ~0.3 s faster.
            // A JVM that cannot use the archive (another JDK) ignores it.
            String jsa = ShellQuote.quote(java.runnerJarPath().replaceAll("\\.jar$", "") + ".jsa");
            lines.add("hpc_cds=(-XX:SharedArchiveFile=" + jsa + " -Xlog:cds=off -Xlog:cds+dynamic=off)");
            lines.add("[ -f " + jsa + " ] || hpc_cds=(-XX:ArchiveClassesAtExit=" + jsa + ".$$ -Xlog:cds=off -Xlog:cds+dynamic=off)");
            List<String> argv = new ArrayList<>();
            argv.add(java.java());
            argv.addAll(java.jvmOptions());
            argv.add("-jar");
            argv.add(java.runnerJarPath());
            lines.add(ShellQuote.quote(java.java()) + " \"${hpc_cds[@]}\" " + ShellQuote.join(argv.subList(1, argv.size()))
                    + " \"$HPC_JOB_DIR\"");
            lines.add("hpc_rc=$?");
            lines.add("[ -s " + jsa + ".$$ ] && mv -f " + jsa + ".$$ " + jsa);
            lines.add("exit $hpc_rc");
        } else {
            lines.add("\"$HPC_JOB_DIR/" + JobLayout.PAYLOAD + "\"");
        }
        return String.join("\n", lines) + "\n";
    }
}
