package org.hpckernel.hpc.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The submit claim is exclusive across processes (a second kernel cannot take it while the first
 * holds it, and learns whose submission it waited for), and a holder killed with -9 leaves
 * nothing that blocks the next kernel.
 */
class SubmitClaimTest {
    static final String HASH = "ab".repeat(32);
    private static final Duration LONG = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private Process child;

    @AfterEach
    void stopChild() {
        if (child != null) child.destroyForcibly();
    }

    /** A child JVM holding the claim with key {@code key}; returns once it said "held". */
    private BufferedReader holdInChild(String key) throws IOException {
        child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), ClaimHolder.class.getName(), dir.toString(), key)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("held", out.readLine());
        return out;
    }

    @Test
    void anotherProcessCannotTakeAHeldClaimAndLearnsWhoseSubmissionItWaitedFor() throws Exception {
        JobLedger ledger = JobLedger.open(dir);
        BufferedReader out = holdInChild("k-child");
        assertThrows(SubmitClaim.Busy.class, () -> ledger.claim("c", HASH, "k-here", Duration.ZERO, () -> {}));
        OutputStream toChild = child.getOutputStream();
        AtomicInteger waits = new AtomicInteger();
        // released only once this kernel is waiting on it: the wait, not the timing, is what is tested
        try (SubmitClaim claim = ledger.claim("c", HASH, "k-here", LONG, () -> {
            waits.incrementAndGet();
            try {
                toChild.write("release\n".getBytes(StandardCharsets.UTF_8));
                toChild.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        })) {
            assertEquals(1, waits.get());
            assertEquals(Optional.of("k-child"), claim.waitedFor());
            assertEquals("released", out.readLine());
        }
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, child.exitValue());
    }

    @Test
    void aClaimFreeAtOnceWaitedForNobody() throws Exception {
        JobLedger ledger = JobLedger.open(dir);
        try (SubmitClaim first = ledger.claim("c", HASH, "k-1", Duration.ZERO, () -> {})) {
            assertEquals(Optional.empty(), first.waitedFor());
        }
        // the next one is free at once too, and does not take the last holder for a racing one
        try (SubmitClaim again = ledger.claim("c", HASH, "k-2", Duration.ZERO, () -> {})) {
            assertEquals(Optional.empty(), again.waitedFor());
        }
    }

    @Test
    void aHolderKilledWithSigkillDoesNotBlock() throws Exception {
        JobLedger ledger = JobLedger.open(dir);
        holdInChild("k-dead");
        try (SubmitClaim claim = ledger.claim("c", HASH, "k-here", LONG, () -> {
            child.destroyForcibly(); // SIGKILL: no finally, no release; the kernel drops its lock
        })) {
            assertEquals(Optional.of("k-dead"), claim.waitedFor());
        }
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        assertEquals(137, child.exitValue());
    }

    @Test
    void twoClaimsInOneProcessExcludeEachOtherAndOtherCellsDoNot() throws Exception {
        JobLedger ledger = JobLedger.open(dir);
        try (SubmitClaim first = ledger.claim("c", HASH, "k-1", Duration.ZERO, () -> {})) {
            assertThrows(SubmitClaim.Busy.class, () -> ledger.claim("c", HASH, "k-2", Duration.ZERO, () -> {}));
            try (SubmitClaim otherCell = ledger.claim("c", "cd".repeat(32), "k-3", Duration.ZERO, () -> {});
                    SubmitClaim otherCluster = ledger.claim("d", HASH, "k-4", Duration.ZERO, () -> {})) {
                assertEquals(Optional.empty(), otherCell.waitedFor());
            }
            // the busy attempt must not have dropped the first one's lock (fcntl locks belong to the process)
            assertThrows(SubmitClaim.Busy.class, () -> ledger.claim("c", HASH, "k-2", Duration.ZERO, () -> {}));
        }
        try (SubmitClaim after = ledger.claim("c", HASH, "k-2", Duration.ZERO, () -> {})) {
            assertEquals(Optional.empty(), after.waitedFor());
        }
        // claims stay out of the ledger's entries, private
        assertEquals(0, ledger.all().size());
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("claims"))));
    }
}
