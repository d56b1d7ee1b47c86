package org.hpckernel.hpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.hpckernel.hpc.transport.LocalTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The guard on real directories of this machine (LocalTransport: real stat, real uid). */
class WorkdirGuardTest {
    @TempDir
    Path tmp;

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void missingDirectoriesAreCreatedPrivate() throws Exception {
        Path w = tmp.resolve("a/b/work");
        try (LocalTransport t = new LocalTransport()) {
            WorkdirGuard.ensure(t, w.toString());
        }
        for (Path p : new Path[] {w, w.resolve("runner"), w.resolve("jobs")}) assertEquals("rwx------", mode(p), p.toString());
    }

    @Test
    void aWorldWritableWorkdirIsRefusedUntouched() throws Exception {
        Path w = Files.createDirectory(tmp.resolve("shared"));
        Files.setPosixFilePermissions(w, PosixFilePermissions.fromString("rwxrwxrwx"));
        try (LocalTransport t = new LocalTransport()) {
            var e = assertThrows(WorkdirGuard.UnsafeDirectoryException.class, () -> WorkdirGuard.ensure(t, w.toString()));
            assertTrue(e.getMessage().contains("writable by its group and all users (mode 777)"), e.getMessage());
            assertTrue(e.getMessage().contains("chmod go-w " + w), e.getMessage());
            try (var entries = Files.list(w)) {
                assertEquals(0, entries.count(), "nothing is created in a refused directory");
            }
            assertEquals("rwxrwxrwx", mode(w), "the kernel does not silently change the user's directory");
            Files.setPosixFilePermissions(w, PosixFilePermissions.fromString("rwxr-xr-x"));
            WorkdirGuard.ensure(t, w.toString()); // fixed as the message says: accepted
        }
    }

    @Test
    void stickySharedWorkdirIsAcceptedAndItsContentIsStillChecked() throws Exception {
        Path w = Files.createDirectory(tmp.resolve("sticky"));
        Files.setPosixFilePermissions(w, PosixFilePermissions.fromString("rwxrwxrwx"));
        new ProcessBuilder("chmod", "+t", w.toString()).start().waitFor();
        Files.createSymbolicLink(w.resolve("runner"), tmp);
        try (LocalTransport t = new LocalTransport()) {
            var e = assertThrows(WorkdirGuard.UnsafeDirectoryException.class, () -> WorkdirGuard.ensure(t, w.toString()));
            assertTrue(e.getMessage().contains("the runner directory " + w.resolve("runner") + " is a symbolic link"), e.getMessage());
            Files.delete(w.resolve("runner"));
            WorkdirGuard.ensure(t, w.toString());
            assertEquals("rwx------", mode(w.resolve("runner")));
        }
    }

    @Test
    void aJobsDirectoryOfAnotherUserIsRefused() throws Exception {
        Path w = Files.createDirectory(tmp.resolve("w"));
        Path jobs = Files.createDirectory(w.resolve("jobs"));
        try (LocalTransport t = new LocalTransport()) {
            int me = t.userId();
            // Only root can give a directory away: as another user, this case is DirectoryCheckTest's.
            if (me != 0) return;
            new ProcessBuilder("chown", "65534", jobs.toString()).start().waitFor();
            var e = assertThrows(WorkdirGuard.UnsafeDirectoryException.class, () -> WorkdirGuard.ensure(t, w.toString()));
            assertTrue(e.getMessage().contains("the jobs directory " + jobs + " belongs to uid 65534, not to you (uid 0)"), e.getMessage());
        }
    }
}
