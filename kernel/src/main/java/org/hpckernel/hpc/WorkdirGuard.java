package org.hpckernel.hpc;

import java.io.IOException;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import org.hpckernel.hpc.transport.FileInfo;
import org.hpckernel.hpc.transport.Transport;
import org.hpckernel.runner.JobLayout;

/**
 * Makes the work directory and its {@code runner/}, {@code jobs/} and {@code classes/} safe to use before anything is
 * written there: each is created private (0700) when missing, and checked by {@link DirectoryCheck}
 * when it exists (also right after creating it, since someone else may have made it first). The
 * work directory itself may be a symbolic link (a scratch space often is), the two inside may not.
 * A checked work directory is remembered per transport: only its owner (or root) can change it.
 */
public final class WorkdirGuard {
    /** A directory another user could have changed: nothing is written in it. */
    public static final class UnsafeDirectoryException extends IOException {
        public UnsafeDirectoryException(String message) {
            super(message);
        }
    }

    private static final Map<Transport, Set<String>> CHECKED = Collections.synchronizedMap(new WeakHashMap<>());

    private WorkdirGuard() {}

    public static void ensure(Transport transport, String workdir) throws IOException {
        Set<String> done = CHECKED.computeIfAbsent(transport, t -> ConcurrentHashMap.newKeySet());
        if (done.contains(workdir)) return;
        int uid = transport.userId();
        ensureOne(transport, workdir, true, uid, "work directory");
        ensureOne(transport, workdir + "/" + JobLayout.RUNNER_DIR, false, uid, "runner directory");
        ensureOne(transport, workdir + "/" + JobLayout.JOBS_DIR, false, uid, "jobs directory");
        ensureOne(transport, workdir + "/" + ValueFiles.CLASSES_DIR, false, uid, "compiled cells' directory");
        done.add(workdir);
    }

    private static void ensureOne(Transport transport, String dir, boolean followLinks, int uid, String role)
            throws IOException {
        Optional<FileInfo> info = transport.info(dir, followLinks);
        if (info.isEmpty()) {
            transport.makePrivateDirectory(dir);
            info = transport.info(dir, followLinks);
            if (info.isEmpty()) throw new IOException("the " + role + " " + dir + " vanished right after it was created");
        }
        Optional<String> problem = DirectoryCheck.problem(dir, info.get(), uid, role);
        if (problem.isPresent()) throw new UnsafeDirectoryException(problem.get() + " (on " + transport.describe() + ")");
    }
}
