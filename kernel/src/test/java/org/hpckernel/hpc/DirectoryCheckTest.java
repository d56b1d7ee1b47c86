package org.hpckernel.hpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.hpckernel.hpc.transport.FileInfo;
import org.junit.jupiter.api.Test;

class DirectoryCheckTest {
    private static final int ME = 1001;
    private static final String DIR = "/scratch/proj/hpc";

    private static Optional<String> check(FileInfo.Type type, int uid, int mode) {
        return DirectoryCheck.problem(DIR, new FileInfo(type, uid, mode, 4096), ME, "work directory");
    }

    @Test
    void ownPrivateOrReadOnlyForOthersIsFine() {
        assertEquals(Optional.empty(), check(FileInfo.Type.DIRECTORY, ME, 0700));
        assertEquals(Optional.empty(), check(FileInfo.Type.DIRECTORY, ME, 0755));
        assertEquals(Optional.empty(), check(FileInfo.Type.DIRECTORY, ME, 02750));
    }

    @Test
    void writableByOthersIsRefusedWithTheChmod() {
        String group = check(FileInfo.Type.DIRECTORY, ME, 0770).orElseThrow();
        assertTrue(group.contains("writable by its group (mode 770)"), group);
        assertTrue(group.endsWith("chmod go-w " + DIR), group);
        assertTrue(check(FileInfo.Type.DIRECTORY, ME, 0777).orElseThrow().contains("its group and all users (mode 777)"));
        assertTrue(check(FileInfo.Type.DIRECTORY, ME, 0703).orElseThrow().contains("writable by all users"));
    }

    @Test
    void stickyMakesSharedWriteSafe() {
        // others may add entries but not rename or remove the user's: what the kernel creates stays its own
        assertEquals(Optional.empty(), check(FileInfo.Type.DIRECTORY, ME, 01777));
        assertEquals(Optional.empty(), check(FileInfo.Type.DIRECTORY, ME, 01770));
    }

    @Test
    void anotherOwnerIsRefusedWhateverTheMode() {
        for (int mode : new int[] {0700, 0755, 01777, 0777}) {
            String p = check(FileInfo.Type.DIRECTORY, 0, mode).orElseThrow();
            assertTrue(p.contains("belongs to uid 0, not to you (uid 1001)"), p);
            assertTrue(p.contains("chown 1001 " + DIR), p);
        }
    }

    @Test
    void linksAndFilesAreRefused() {
        assertTrue(check(FileInfo.Type.SYMLINK, ME, 0777).orElseThrow().endsWith("rm " + DIR));
        assertTrue(check(FileInfo.Type.FILE, ME, 0600).orElseThrow().contains("is not a directory"));
    }

    @Test
    void theFixIsQuotedForTheShell() {
        String p = DirectoryCheck.problem("/w/it's mine", new FileInfo(FileInfo.Type.DIRECTORY, ME, 0777, 0), ME, "jobs directory")
                .orElseThrow();
        assertTrue(p.endsWith("chmod go-w '/w/it'\\''s mine'"), p);
    }
}
