package org.hpckernel.install;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ThreadLocalRandom;

/** Replace-by-rename, so nobody reading the kernelspec ever sees a half-written file. */
final class AtomicFiles {
    private AtomicFiles() {}

    /**
     * A fresh name next to {@code target} (same file system, so the rename is atomic). Not
     * {@link Files#createTempFile}: that makes the file owner-only, and a kernelspec installed with
     * --sys-prefix or --prefix must stay readable by everyone who uses that Jupyter.
     */
    static Path tempSibling(Path target) {
        long random = ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
        return target.resolveSibling("." + target.getFileName() + "." + ProcessHandle.current().pid() + "." + random + ".tmp");
    }

    static void moveReplacing(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
