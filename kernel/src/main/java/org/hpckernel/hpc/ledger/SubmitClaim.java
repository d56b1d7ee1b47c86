package org.hpckernel.hpc.ledger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.hpckernel.util.Log;

/**
 * The right to decide, for one cell on one cluster, whether to submit it: held by one kernel at a
 * time from before it looks for an earlier submission until the scheduler has answered, so that two
 * kernels running the same cell at the same moment (the notebook open twice, a restarted kernel
 * racing the old one) submit one job. It is an exclusive lock ({@code fcntl}, through
 * {@link FileChannel#tryLock}) on a small file in the ledger: the operating system drops it when
 * its process dies, kill -9 included, so a dead kernel never blocks the next one, which then finds
 * the dead one's SUBMITTING record and looks the job up. The file holds the holder's pid and job
 * key; a kernel that had to wait reads the key of the submission it waited for.
 *
 * <p>fcntl locks belong to a process, not to a channel, so claims of one JVM are kept apart by
 * {@link #HELD_HERE} before the file is touched (a second channel on the same file, closed, would
 * drop the first one's lock).
 */
public final class SubmitClaim implements AutoCloseable {
    private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();
    private static final Duration POLL = Duration.ofMillis(100);

    /** The claim stayed held longer than the caller was willing to wait. */
    public static final class Busy extends Exception {
        Busy(String message) {
            super(message);
        }
    }

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final String waitedFor;
    private final Instant waitStart;

    private SubmitClaim(Path file, FileChannel channel, FileLock lock, String waitedFor, Instant waitStart) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
        this.waitedFor = waitedFor;
        this.waitStart = waitStart;
    }

    /**
     * Waits (polling, interruptibly) until the claim is free, takes it and writes {@code key} into
     * it.
     *
     * @param onWait run once, when the claim is first found held (to tell the user why nothing moves)
     * @throws Busy another live process held it for longer than {@code patience}
     */
    static SubmitClaim take(Path file, String key, Duration patience, Runnable onWait)
            throws IOException, InterruptedException, Busy {
        long deadline = System.nanoTime() + patience.toNanos();
        Instant waitStart = null;
        while (true) {
            if (HELD_HERE.add(file)) {
                SubmitClaim claim = tryTake(file, key, waitStart);
                if (claim != null) return claim;
                HELD_HERE.remove(file);
            }
            if (waitStart == null) {
                waitStart = Instant.now();
                onWait.run();
            }
            if (System.nanoTime() - deadline > 0) {
                throw new Busy("another kernel (" + holder(file) + ") has been submitting this same cell for over "
                        + patience.toSeconds() + " s; it still holds " + file + ". Wait for it, or stop that kernel");
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /** The claim, or null while another process holds it; called with {@code file} in {@link #HELD_HERE}. */
    private static SubmitClaim tryTake(Path file, String key, Instant waitStart) throws IOException {
        FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                return null;
            }
            String previous = waitStart == null ? null : keyIn(read(channel));
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + " " + key + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(false);
            return new SubmitClaim(file, channel, lock, previous, waitStart);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * The job key of the submission this kernel waited for (the kernel that held the claim last):
     * empty when the claim was free at once.
     */
    public Optional<String> waitedFor() {
        return Optional.ofNullable(waitedFor);
    }

    /** When this kernel found the claim held; null when it was free at once. */
    public Instant waitStart() {
        return waitStart;
    }

    /**
     * Releases the claim. Never throws: the job is submitted by then, and a lock that could not be
     * released explicitly goes with the channel, or at the latest with the process.
     */
    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            Log.warn("submit claim %s not released (%s): it goes when its channel closes", file.getFileName(), e.getMessage());
        } finally {
            try {
                channel.close();
            } catch (IOException e) {
                Log.warn("submit claim %s not closed: %s", file.getFileName(), e.getMessage());
            }
            HELD_HERE.remove(file);
        }
    }

    private static String read(FileChannel channel) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(channel.size(), 4096));
        channel.read(buf, 0);
        return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
    }

    private static String keyIn(String content) {
        String[] words = content.strip().split(" ");
        return words.length == 2 && !words[1].isEmpty() ? words[1] : null;
    }

    /** "pid 123" of the current holder, as it wrote it (the file is read without the lock). */
    private static String holder(Path file) {
        try {
            String[] words = Files.readString(file, StandardCharsets.UTF_8).strip().split(" ");
            return words.length == 2 ? "pid " + words[0] + ", submission " + words[1] : "pid unknown";
        } catch (IOException e) {
            return "pid unknown";
        }
    }
}
