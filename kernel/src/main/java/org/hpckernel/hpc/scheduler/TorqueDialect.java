package org.hpckernel.hpc.scheduler;

import java.util.List;
import org.hpckernel.hpc.options.ArraySpec;
import org.hpckernel.hpc.scheduler.PbsScheduler.Flavor;

/**
 * Torque (4 to 6): PBS as {@link PbsDialect} speaks it, except for what Torque does its own way:
 * {@code qsub -t} arrays (lists, single ids and {@code %N} allowed; no {@code ^array_index^}
 * placeholder), {@code qstat -f -1} text instead of JSON (completed jobs stay for keep_completed
 * seconds), no {@code qselect -x}, names of at most 15 characters starting with a letter, and
 * resources as {@code nodes=N:ppn=C} ({@link PbsResources}).
 */
final class TorqueDialect extends PbsDialect {
    TorqueDialect() {
        // Torque has no variable for the array's id: 12[3].srv with index 3 -> 12[].srv
        super(Flavor.TORQUE, "Torque", "${PBS_JOBID/\\[${PBS_ARRAYID}\\]/[]}", "${PBS_ARRAYID:-}");
    }

    /** Torque takes throttles and single indices in arrays. */
    @Override
    List<Cannot> cannotExpress() {
        return CANNOT;
    }

    /** One file: the body writes each task's own files anyway. */
    @Override
    String outputFile(JobSpec spec) {
        return "scheduler.out";
    }

    @Override
    String arrayOption(String array) {
        return "-t " + torqueArray(array);
    }

    /** Torque's {@code -t}: ranges and single ids separated by commas (steps spelled out), optionally {@code %N}. */
    static String torqueArray(String array) {
        String throttle = ArrayRanges.throttle(array);
        return ArrayRanges.runs(ArraySpec.indices(ArrayRanges.body(array))) + (throttle == null ? "" : "%" + throttle);
    }

    /** qsub(1B): a name starts with a letter. */
    @Override
    boolean nameMayStartWith(int first) {
        return Character.isLetter(first);
    }

    /** Torque keeps 15 characters of a name. */
    @Override
    int nameLimit() {
        return 15;
    }

    @Override
    List<String> statusCommand(List<String> jobIds) {
        return SchedulerText.argv(List.of("qstat", "-f", "-1", "-t"), jobIds);
    }

    @Override
    List<PbsQstat.Job> records(String stdout) throws SchedulerException {
        return stdout.isBlank() ? List.of() : PbsQstat.parseText(stdout);
    }

    /** Torque's qselect has no {@code -x}: it lists the jobs the server still holds. */
    @Override
    List<String> findByNameCommand(String jobName) {
        return List.of("/bin/sh", "-c", "qselect -u \"$(id -un)\" -N \"$1\"", "hpc-find-by-name", submittedName(jobName));
    }
}
