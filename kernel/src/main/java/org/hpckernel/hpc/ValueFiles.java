package org.hpckernel.hpc;

/**
 * Where a job's values live in its directory and work directory. The Java cell's files are the
 * runner's ({@code program.json}, {@code inputs.json}, {@code outputs[.I].json}); a #! cell's
 * script reads {@code $HPC_INPUTS/NAME.json} and writes {@code $HPC_OUTPUTS/NAME.json}.
 */
public final class ValueFiles {
    public static final String PROGRAM = "program.json";
    public static final String INPUTS = "inputs.json";
    public static final String CLASSES_DIR = "classes";
    /** A #! cell's inputs, one file per {@code --in} NAME. */
    public static final String SCRIPT_INPUTS_DIR = "inputs";

    private ValueFiles() {}

    /** The values a Java cell returned, written by the runner when the cell completed. */
    public static String outputs(Integer arrayIndex) {
        return arrayIndex == null ? "outputs.json" : "outputs." + arrayIndex + ".json";
    }

    /** The directory a #! cell writes its {@code --out} files into ($HPC_OUTPUTS), one per array task. */
    public static String scriptOutputsDir(Integer arrayIndex) {
        return arrayIndex == null ? "outputs" : "outputs." + arrayIndex;
    }

    public static String cellJar(String sha256) {
        return "cell-" + sha256 + ".jar";
    }

    public static String cellJarPath(String workdir, String sha256) {
        return workdir + "/" + CLASSES_DIR + "/" + cellJar(sha256);
    }
}
