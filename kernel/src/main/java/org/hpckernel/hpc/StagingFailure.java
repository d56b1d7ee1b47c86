package org.hpckernel.hpc;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.hpckernel.hpc.transport.CommandResult;
import org.hpckernel.hpc.transport.Transport;

/**
 * Turns a failed write into the work directory into what the user must do. A full file system or
 * an exhausted quota is the usual cause on a cluster; SFTP reports it only as "Failure", so when the
 * error itself does not say, the free space is asked ({@code df}).
 */
final class StagingFailure {
    private static final List<String> FULL_SIGNS = List.of("No space left on device", "Disk quota exceeded", "quota exceeded");

    private StagingFailure() {}

    static IOException explain(Transport transport, String workdir, IOException e) {
        String text = String.valueOf(e.getMessage());
        boolean full = FULL_SIGNS.stream().anyMatch(text::contains) || availableKiB(transport, workdir) == 0;
        if (!full) return e;
        IOException explained = new IOException("the work directory " + workdir + " on " + transport.describe()
                + " is full (no space left or quota exceeded; " + text.lines().findFirst().orElse("") + "): free space there"
                + " (or raise the quota), or set \"workdir\" to another file system. Nothing was submitted and nothing"
                + " half-written was left behind.", e);
        return explained;
    }

    /** Free KiB for the user where {@code dir} is, or -1 when unknown. */
    private static long availableKiB(Transport transport, String dir) {
        try {
            CommandResult r = transport.run(List.of("df", "-P", "-k", "--", dir), Duration.ofSeconds(20));
            if (!r.ok()) return -1;
            List<String> lines = r.stdout().lines().toList();
            if (lines.size() < 2) return -1;
            String[] f = lines.get(lines.size() - 1).trim().split("\\s+");
            return f.length >= 4 ? Long.parseLong(f[3]) : -1;
        } catch (IOException | RuntimeException ex) {
            return -1;
        }
    }
}
