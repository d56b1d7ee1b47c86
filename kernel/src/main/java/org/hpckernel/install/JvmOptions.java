package org.hpckernel.install;

import java.util.ArrayList;
import java.util.List;

/** The JVM flags written into kernel.json before {@code -jar}. */
public final class JvmOptions {
    /**
     * A notebook kernel idles most of the time next to a browser and other kernels, so these favour
     * a small resident footprint and a quick start over throughput: one GC thread, a heap that starts
     * small and gives memory back, no hsperfdata file. C2 stays on because user code in cells can be
     * hot loops. Headless because there is no display on HPC login nodes and AWT would otherwise try
     * one. {@code --jvm-opt} values come after these, so a user's {@code -Xmx} or GC choice wins.
     */
    public static final List<String> DEFAULTS = List.of(
            "-XX:+UseSerialGC",
            // C1 only: JShell recompiles every cell with javac, and javac reaches full speed far
            // sooner without C2 (measured: 1 + 1 p50 26 ms -> 14 ms fresh, RSS 150 -> 117 MB).
            // Compute-heavy work belongs in %%hpc; --jvm-opt -XX:TieredStopAtLevel=4 restores C2.
            "-XX:TieredStopAtLevel=1",
            "-Xms32m",
            "-XX:MinHeapFreeRatio=10",
            "-XX:MaxHeapFreeRatio=30",
            "-XX:-UsePerfData",
            "-Djava.awt.headless=true",
            "-Xss2m");

    private JvmOptions() {}

    public static List<String> withUserOptions(List<String> userOptions) {
        List<String> all = new ArrayList<>(DEFAULTS);
        all.addAll(userOptions);
        return List.copyOf(all);
    }
}
