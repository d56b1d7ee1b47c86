package org.hpckernel.install;

import java.util.List;

/** Names of the files an hpc-kernel kernelspec directory holds. */
public final class KernelspecFiles {
    public static final String KERNEL_JSON = "kernel.json";
    /** Fixed name so kernel.json and the CDS archive never depend on the version in the jar's name. */
    public static final String JAR = "hpc-kernel.jar";
    public static final String CDS_ARCHIVE = "hpc-kernel.jsa";
    /** Jupyter looks for exactly these names. */
    public static final List<String> LOGOS = List.of("logo-32x32.png", "logo-64x64.png", "logo-svg.svg");
    /** Where the build puts the logos inside the jar. */
    public static final String LOGO_RESOURCE_DIR = "kernelspec/";

    private KernelspecFiles() {}
}
