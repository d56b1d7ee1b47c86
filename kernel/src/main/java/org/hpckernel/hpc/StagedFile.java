package org.hpckernel.hpc;

import java.io.IOException;
import java.util.Optional;
import org.hpckernel.hpc.transport.FileInfo;
import org.hpckernel.hpc.transport.Transport;

/**
 * A content-addressed file of the work directory (the runner jar, a cached class-path jar): its
 * name carries its SHA-256, so one stat tells whether it must be uploaded. A file of the user's own,
 * not writable by others, of the right size is left in place (the node checks its SHA-256 before
 * using it, and removes a bad one, so the next job comes here and uploads it again); one of the
 * user's that is wrong is replaced; one that belongs to someone else is refused, since it cannot
 * be replaced.
 */
final class StagedFile {
    /** The bytes, read only when they must be uploaded. */
    @FunctionalInterface
    interface Content {
        byte[] bytes() throws IOException;
    }

    private StagedFile() {}

    /** @return true when the file was uploaded, false when the one in place was kept */
    static boolean ensure(Transport transport, String path, long size, Content content, String what) throws IOException {
        Optional<FileInfo> info = transport.info(path, false);
        if (info.isPresent()) {
            FileInfo f = info.get();
            int uid = transport.userId();
            if (f.uid() != uid) {
                throw new WorkdirGuard.UnsafeDirectoryException("the " + what + " " + path + " belongs to uid " + f.uid()
                        + ", not to you (uid " + uid + "), so it is not used: ask its owner (or root) to remove it, or set"
                        + " \"workdir\" to a directory of your own; then run the cell again (on " + transport.describe() + ")");
            }
            if (f.isFile() && !f.writableByOthers() && f.size() == size) return false;
            transport.delete(path);
        }
        transport.writeFile(path, content.bytes(), false);
        return true;
    }
}
