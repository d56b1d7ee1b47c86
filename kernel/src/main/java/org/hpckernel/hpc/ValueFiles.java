package org.hpckernel.hpc;

import org.hpckernel.runner.JobLayout;

/**
 * Where a job's values live. A Java cell's files are the runner's ({@link JobLayout}: program.json,
 * inputs.json, outputs[.I].json, WORKDIR/classes/cell-SHA256.jar); a #! cell's script reads
 * {@code $HPC_INPUTS/NAME.json} and writes {@code $HPC_OUTPUTS/NAME.json}, directories in the job
 * directory that only job.sh and the kernel know.
 */
public final class ValueFiles {
    public static final String PROGRAM = JobLayout.PROGRAM;
    public static final String INPUTS = JobLayout.INPUTS;
    public static final String CLASSES_DIR = JobLayout.CLASSES_DIR;
    /** A #! cell's inputs, one file per {@code --in} NAME. */
    public static final String SCRIPT_INPUTS_DIR = "inputs";

    private ValueFiles() {}

    /** The values a Java cell returned, written by the runner when the cell completed. */
    public static String outputs(Integer arrayIndex) {
        return JobLayout.outputs(arrayIndex);
    }

    /** The directory a #! cell writes its {@code --out} files into ($HPC_OUTPUTS), one per array task. */
    public static String scriptOutputsDir(Integer arrayIndex) {
        return arrayIndex == null ? "outputs" : "outputs." + arrayIndex;
    }

    public static String cellJarPath(String workdir, String sha256) {
        return workdir + "/" + CLASSES_DIR + "/" + JobLayout.cellJar(sha256);
    }
}
