package org.hpckernel.hpc.ledger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.hpckernel.util.Json;
import org.hpckernel.util.Log;

/**
 * Every job any kernel of this user submitted, so none is ever lost: recorded before the submit
 * command runs (state SUBMITTING, no id yet), given its id when the scheduler answers, and updated
 * when it ends. One small JSON file per submission, named by the job key, written to a temporary
 * name and renamed into place: a crash mid-write leaves the previous version of that one entry,
 * never a corrupt store, and several kernels can write entries at once without a lock; deciding
 * whether to submit a cell is exclusive ({@link #claim}). A write that fails
 * (full disk, quota) throws and leaves no temporary file behind.
 */
public final class JobLedger {
    private final Path dir;

    private JobLedger(Path dir) {
        this.dir = dir;
    }

    public static JobLedger open(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        return new JobLedger(dir);
    }

    /** {@code $XDG_DATA_HOME/hpc-kernel/jobs}, default {@code ~/.local/share/hpc-kernel/jobs}. */
    public static Path defaultDir() {
        String xdg = System.getenv("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share");
        return base.resolve("hpc-kernel").resolve("jobs");
    }

    public void record(LedgerEntry entry) throws IOException {
        Path target = file(entry);
        Path temp = target.resolveSibling("." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-"
                + Thread.currentThread().getId());
        boolean moved = false;
        try {
            Files.writeString(temp, Json.GSON.toJson(entry), StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            try (var channel = java.nio.channels.FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } finally {
            if (!moved) Files.deleteIfExists(temp);
        }
        if (entry.key() != null && entry.jobId() != null) {
            // A record of an older kernel, named by cluster and job id, now lives under its key.
            Files.deleteIfExists(dir.resolve(FileNames.encode(entry.cluster() + "--" + entry.jobId()) + ".json"));
        }
    }

    /**
     * The claim on submitting the cell with {@code contentHash} to {@code cluster}, held from
     * before the ledger is searched for an earlier submission of it until its job id is recorded;
     * see {@link SubmitClaim}. Claims live in {@code claims/}, one small file per cell ever
     * claimed, never removed (removing a lock file races with a process about to lock it).
     *
     * @param key the job key of the submission this kernel would make, for a kernel that waits on it
     * @param onWait run when the claim is found held by another kernel, before waiting
     * @throws SubmitClaim.Busy another live kernel held it for longer than {@code patience}
     */
    public SubmitClaim claim(String cluster, String contentHash, String key, Duration patience, Runnable onWait)
            throws IOException, InterruptedException, SubmitClaim.Busy {
        Path claims = dir.resolve("claims");
        if (!Files.isDirectory(claims)) {
            try {
                Files.createDirectory(claims, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // another kernel made it first
            }
        }
        return SubmitClaim.take(claims.resolve(FileNames.encode(cluster + "--" + contentHash) + ".lock"), key, patience, onWait);
    }

    /** The entry of a job by cluster and scheduler id. */
    public Optional<LedgerEntry> find(String cluster, String jobId) throws IOException {
        for (LedgerEntry e : all()) {
            if (cluster.equals(e.cluster()) && jobId.equals(e.jobId())) return Optional.of(e);
        }
        return Optional.empty();
    }

    /** The entry of a submission by its job key. */
    public Optional<LedgerEntry> findByKey(String key) {
        return read(dir.resolve(FileNames.encode(key) + ".json"));
    }

    /** All entries, oldest first. Unreadable files (another kernel's half-written temp) are skipped. */
    public List<LedgerEntry> all() throws IOException {
        List<LedgerEntry> entries = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
            for (Path f : files) read(f).ifPresent(entries::add);
        }
        entries.sort(Comparator.comparing(LedgerEntry::submitted, Comparator.nullsFirst(Comparator.naturalOrder())));
        return entries;
    }

    /** Removes the entry, under whichever name it was stored (its key, or an older kernel's cluster--id). */
    public void remove(LedgerEntry entry) throws IOException {
        Files.deleteIfExists(file(entry));
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
            for (Path f : files) {
                Optional<LedgerEntry> e = read(f);
                if (e.isPresent() && e.get().cluster().equals(entry.cluster())
                        && java.util.Objects.equals(e.get().key(), entry.key())
                        && java.util.Objects.equals(e.get().jobId(), entry.jobId())) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    private Optional<LedgerEntry> read(Path f) {
        try {
            LedgerEntry e = Json.GSON.fromJson(Files.readString(f, StandardCharsets.UTF_8), LedgerEntry.class);
            return e == null || e.cluster() == null || (e.jobId() == null && e.key() == null) ? Optional.empty() : Optional.of(e);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            Log.warn("ledger entry %s unreadable, skipped: %s", f.getFileName(), e.getMessage());
            return Optional.empty();
        }
    }

    private Path file(LedgerEntry entry) {
        if (entry.cluster() == null || (entry.key() == null && entry.jobId() == null)) {
            throw new IllegalArgumentException("a ledger entry needs a cluster and a job key or id: " + entry);
        }
        return dir.resolve(FileNames.encode(entry.fileKey()) + ".json");
    }
}
