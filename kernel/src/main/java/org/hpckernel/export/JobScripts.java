package org.hpckernel.export;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.hpckernel.hpc.BatchScript;
import org.hpckernel.hpc.JobSpecs;
import org.hpckernel.hpc.ValueOptions;
import org.hpckernel.hpc.config.ClusterProfile;
import org.hpckernel.hpc.options.ArraySpec;
import org.hpckernel.hpc.options.HpcArguments;
import org.hpckernel.hpc.options.OptionException;
import org.hpckernel.hpc.scheduler.JobSpec;
import org.hpckernel.hpc.scheduler.Scheduler;
import org.hpckernel.hpc.scheduler.SchedulerException;
import org.hpckernel.hpc.scheduler.Schedulers;
import org.hpckernel.hpc.scheduler.UnsupportedOptionException;
import org.hpckernel.hpc.transport.ShellQuote;
import org.hpckernel.util.Version;

/**
 * One batch script per %%hpc cell, rendered by the kernel's own {@link BatchScript} from the cell's
 * options and the cluster's defaults: what {@code %%hpc --dry-run} shows is what the pipeline
 * submits. The job directory is {@code results/CELL} under {@link #PROJECT}, a placeholder that
 * submit.sh replaces by the project's absolute path when it stages the script.
 */
final class JobScripts {
    /** Stands for the project directory in rendered scripts (a plain shell word, so never quoted). */
    static final String PROJECT = "/HPC_EXPORT_PROJECT_DIR";

    /** A --for cell's array is sized when submit.sh knows the list: this stands for it in directives. */
    static final int FOR_PLACEHOLDER_LAST = 9999;

    /** Stands for the staged job.sh in the scheduler's submit command (absolute: OAR takes no other). */
    static final String SCRIPT = "/HPC_EXPORT_JOB_SH";

    /**
     * A job's script and what it runs.
     *
     * @param scriptArgs what the scheduler's submit command passes to the script after its path ("" for
     *     none): OAR gives an array's script its first index and step ({@code oarsub -S "job.sh 0 1"})
     */
    record Job(ExportStep step, String cluster, String scheduler, String script, String payload, List<Integer> tasks,
            String forSentinel, int arrayBase, String scriptArgs) {}

    private JobScripts() {}

    static Scheduler scheduler(ClusterProfile profile) throws ExportException {
        try {
            return Schedulers.create(profile.scheduler(), profile.schedulerSettings(), null);
        } catch (IOException | SchedulerException | IllegalArgumentException e) {
            throw new ExportException("cluster " + profile.name() + ": " + e.getMessage());
        }
    }

    static Job render(ExportStep step, List<String> options, ClusterProfile profile, String jar, String mainClass)
            throws ExportException {
        Scheduler scheduler = scheduler(profile);
        List<String> args = new ArrayList<>(options);
        String forSentinel = null;
        int base = 0;
        if (step instanceof ExportStep.JavaJob job && job.forEach() != null) {
            if (args.contains("--array")) {
                throw new ExportException("cell " + step.cell().number() + ": --for implies the array; drop --array");
            }
            // As the kernel does it: where tasks start at 1, element i is task i+1.
            base = scheduler.firstArrayIndex();
            forSentinel = base + "-" + (FOR_PLACEHOLDER_LAST + base);
            args.add("--array");
            args.add(forSentinel);
        }
        JobSpec spec;
        try {
            HpcArguments parsed = HpcArguments.parse(args);
            if (parsed.cluster().isPresent() && !parsed.cluster().get().equals(profile.name())) {
                throw new ExportException("cell " + step.cell().number() + " asks for --cluster " + parsed.cluster().get()
                        + " but the export is for " + profile.name() + ": export with --cluster " + parsed.cluster().get()
                        + ", or drop --cluster from the cell");
            }
            spec = JobSpecs.build(parsed, profile, "hpc-" + step.dirName(), PROJECT + "/results/" + step.dirName());
        } catch (OptionException e) {
            throw new ExportException("cell " + step.cell().number() + ": " + e.getMessage());
        }
        if (forSentinel != null) spec = spec.toBuilder().env(ValueOptions.ForEach.env(scheduler, spec.env())).build();
        String script;
        try {
            script = BatchScript.render(scheduler, spec, profile.workdir(), profile.setup(), new BatchScript.ShebangPayload(),
                    "cell " + step.cell().number() + " of the notebook, exported by hpc-kernel " + Version.get()
                            + " for cluster " + profile.name());
        } catch (UnsupportedOptionException e) {
            throw new ExportException("cell " + step.cell().number() + ": " + e.getMessage());
        }
        String payload = step instanceof ExportStep.ShellJob shell ? shell.script()
                : "#!/bin/bash\n# cell " + step.cell().number() + ": the compiled cell class, from the project's jar\n"
                        + "exec " + ShellQuote.quote(profile.java() == null ? "java" : profile.java()) + " "
                        + ShellQuote.join(BatchScript.RUNNER_JVM_OPTIONS) + " -cp \"$HPC_JOB_DIR/../../" + jar + "\" "
                        + mainClass + "\n";
        List<Integer> tasks = spec.isArray() && forSentinel == null ? ArraySpec.indices(spec.array()) : List.of();
        String scriptArgs = scheduler.submitCommand(spec, SCRIPT).stream().filter(a -> a.startsWith(SCRIPT + " "))
                .map(a -> a.substring(SCRIPT.length() + 1)).findFirst().orElse("");
        return new Job(step, profile.name(), profile.scheduler(), script, payload, tasks, forSentinel, base, scriptArgs);
    }
}
