package org.hpckernel.hpc;

import org.hpckernel.runner.JobLayout;

/**
 * Where a job's values live. A Java cell's files are the runner's ({@link JobLayout}: program.json,
 * inputs.json, outputs[.I].json, WORKDIR/classes/cell-SHA256.jar; values in binary form inside them,
 * see {@link org.hpckernel.values.SerialValues}); a #! cell's script reads
 * {@code $HPC_INPUTS/NAME.json} and writes {@code $HPC_OUTPUTS/NAME.json}, directories in the job
 * directory that only job.sh and the kernel know.
 */
public final class ValueFiles {
    public static final String PROGRAM = JobLayout.PROGRAM;
    public static final String INPUTS = JobLayout.INPUTS;
    public static final String CLASSES_DIR = JobLayout.CLASSES_DIR;
    /** A #! cell's inputs, one file per {@code --in} NAME. */
    public static final String SCRIPT_INPUTS_DIR = "inputs";

    /** The manifest's "encoding" of a value in binary form (absent: JSON). */
    public static final String SERIALIZED_ENCODING = "java-serialization";

    private ValueFiles() {}

    /**
     * {@code inputs.json}: {name: value}, each value the codec's JSON as is; values in binary form
     * in the {@value org.hpckernel.values.SerialValues#MEMBER} member, base64 by name.
     */
    public static String inputsJson(java.util.List<EncodedValue> inputs) {
        // Spliced, not re-serialized: each JSON value stays byte for byte what the manifest's SHA-256 names.
        java.util.Map<String, String> texts = new java.util.LinkedHashMap<>();
        for (EncodedValue in : inputs) texts.put(in.name(), in.json());
        return org.hpckernel.values.ValueCodec.joinMembers(org.hpckernel.values.SerialValues.pack(texts));
    }

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
