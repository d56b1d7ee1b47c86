package org.hpckernel.hpc.environment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node's cache of image digests, run by a real bash with the real sha256sum behind a wrapper
 * that logs what it is asked to hash: an unchanged image is read once, a changed one (size, mtime,
 * or another file at the path) again, and every answer is the file's true SHA-256.
 */
class ImageDigestCacheTest {
    @TempDir
    Path tmp;
    Path bin;
    Path log;
    Path cache;
    Path image;

    @BeforeEach
    void setUp() throws Exception {
        bin = Files.createDirectories(tmp.resolve("bin"));
        log = tmp.resolve("hashed.log");
        cache = tmp.resolve("work").resolve(EnvironmentScript.DIGEST_CACHE);
        Path real = Path.of("/usr/bin/sha256sum");
        Files.writeString(bin.resolve("sha256sum"), "#!/bin/bash\n[ \"$2\" != /dev/stdin ] && printf '%s\\n' \"$2\" >> \"$HASH_LOG\"\nexec "
                + real + " \"$@\"\n");
        bin.resolve("sha256sum").toFile().setExecutable(true);
        image = Files.writeString(tmp.resolve("app.sif"), "a SIF image, version 1");
    }

    /** The digest job.sh's function prints for {@code file}. */
    private String digest(Path file) throws Exception {
        List<String> script = new ArrayList<>(EnvironmentScript.functions());
        script.add("hpc_digests='" + cache + "'");
        script.add(EnvironmentScript.IMAGE_SHA256_FUNCTION.strip());
        script.add("hpc_image_sha256 \"$1\"");
        ProcessBuilder pb = new ProcessBuilder("/bin/bash", "-c", String.join("\n", script), "job", file.toString());
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("HASH_LOG", log.toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    private int hashes() throws Exception {
        return Files.exists(log) ? Files.readAllLines(log).size() : 0;
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    @Test
    void anUnchangedImageIsHashedOnceAndAChangedOneAgain() throws Exception {
        String first = digest(image);
        assertEquals(sha256(image), first);
        assertEquals(1, hashes());
        assertEquals(first, digest(image));
        assertEquals(first, digest(image));
        assertEquals(1, hashes(), "an unchanged image is read once");

        // Same size, newer mtime (a rebuilt image of the same length): hashed again.
        Files.writeString(image, "a SIF image, version 2");
        Files.setLastModifiedTime(image, FileTime.fromMillis(Files.getLastModifiedTime(image).toMillis() + 5_000));
        String second = digest(image);
        assertEquals(sha256(image), second);
        assertEquals(2, hashes());
        assertEquals(second, digest(image));
        assertEquals(2, hashes());

        // Another size, the mtime put back as it was: the size alone tells.
        FileTime mtime = Files.getLastModifiedTime(image);
        Files.writeString(image, "a SIF image, version 3, longer");
        Files.setLastModifiedTime(image, mtime);
        assertEquals(sha256(image), digest(image));
        assertEquals(3, hashes());

        // Another file moved to the path (another inode), same size and mtime: hashed again.
        Path other = Files.writeString(tmp.resolve("new.sif"), "a SIF image, version 4, longer");
        Files.setLastModifiedTime(other, mtime);
        Files.move(other, image, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertEquals(sha256(image), digest(image));
        assertEquals(4, hashes());
        try (var entries = Files.list(cache)) {
            assertEquals(1, entries.count(), "a changed image overwrites its entry");
        }
    }

    @Test
    void anEntryWhoseKeyDoesNotMatchIsNotTrustedAndEachPathHasItsOwn() throws Exception {
        String right = digest(image);
        try (var entries = Files.list(cache)) {
            Path entry = entries.findFirst().orElseThrow();
            List<String> lines = Files.readAllLines(entry);
            assertEquals(2, lines.size(), lines.toString());
            assertTrue(lines.get(0).endsWith(" " + image), lines.get(0));
            // An entry that names another key (a collision, or a hand-edited file) is hashed over.
            Files.writeString(entry, "0 0 0 0 /elsewhere\n" + "0".repeat(64) + "\n");
        }
        assertEquals(right, digest(image));
        assertEquals(2, hashes());
        Path copy = Files.copy(image, tmp.resolve("copy.sif"));
        assertEquals(right, digest(copy));
        assertEquals(3, hashes(), "another path is another entry");
        assertEquals(right, digest(image));
        assertEquals(3, hashes());
    }

    @Test
    void withoutAWritableCacheTheDigestIsStillRight() throws Exception {
        Files.createDirectories(cache.getParent());
        Files.writeString(cache, "a file where the cache directory would be");
        assertEquals(sha256(image), digest(image));
        assertEquals(sha256(image), digest(image));
        assertEquals(2, hashes(), "nothing cached, each job hashes");
    }
}
