package org.hpckernel.hpc.ledger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.hpckernel.protocol.Json;
import org.hpckernel.util.Log;

/**
 * Every job any kernel of this user submitted, so none is ever lost: recorded at submit time,
 * before the kernel waits on it, and updated when it ends. One small JSON file per job, written
 * to a temporary name and renamed into place: a crash mid-write leaves at most that one entry
 * missing, never a corrupt store, and several kernels can write at once without a lock.
 */
public final class JobLedger {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_.+-]+");
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
        Path target = file(entry.cluster(), entry.jobId());
        Path temp = target.resolveSibling("." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-" + Thread.currentThread().getId());
        Files.writeString(temp, Json.GSON.toJson(entry), StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
        try (var channel = java.nio.channels.FileChannel.open(temp, java.nio.file.StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    public Optional<LedgerEntry> find(String cluster, String jobId) {
        return read(file(cluster, jobId));
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

    public void remove(String cluster, String jobId) throws IOException {
        Files.deleteIfExists(file(cluster, jobId));
    }

    private Optional<LedgerEntry> read(Path f) {
        try {
            LedgerEntry e = Json.GSON.fromJson(Files.readString(f, StandardCharsets.UTF_8), LedgerEntry.class);
            return e == null || e.jobId() == null ? Optional.empty() : Optional.of(e);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            Log.warn("ledger entry %s unreadable, skipped: %s", f.getFileName(), e.getMessage());
            return Optional.empty();
        }
    }

    private Path file(String cluster, String jobId) {
        if (!SAFE.matcher(cluster).matches() || !SAFE.matcher(jobId).matches()) {
            throw new IllegalArgumentException("unexpected characters in cluster/job id: " + cluster + "/" + jobId);
        }
        return dir.resolve(cluster + "--" + jobId + ".json");
    }
}
