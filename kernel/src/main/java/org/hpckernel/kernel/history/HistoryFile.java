package org.hpckernel.kernel.history;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The JSON-lines file shared by every kernel of one user, and the locking that makes that safe.
 *
 * <p>Writers take an OS lock on a sibling {@code .lock} file rather than on the history file
 * itself, because compaction replaces the history file and a lock on the replaced file would
 * protect nothing. Inside one JVM a {@link ReentrantLock} per file comes first: Java refuses two
 * overlapping locks from one process, and on POSIX closing any channel to a file drops all of the
 * process's locks on it.
 *
 * <p>Each instance remembers how far it has read, so picking up other kernels' lines reads only
 * what was appended. If another kernel compacted meanwhile, it must read from the top instead. The
 * inode alone cannot tell (a freed inode is soon reused), so the file's first line counts as its
 * identity too: every file starts with a session-start line carrying a random id.
 * Not thread-safe beyond that; {@link HistoryStore} serialises calls.
 */
final class HistoryFile {
    private static final ConcurrentHashMap<Path, ReentrantLock> PROCESS_LOCKS = new ConcurrentHashMap<>();

    @FunctionalInterface
    interface LockedAction {
        void run() throws IOException;
    }

    /** Complete lines appended since the last read; {@code restarted} if they are the whole file again. */
    record Batch(boolean restarted, List<String> lines) {}

    private final Path file;
    private final Path lockFile;
    private final ReentrantLock processLock;
    private Object fileKey;
    private String firstLine;
    private long offset;
    private boolean everRead;
    private boolean osLocking = true;

    private HistoryFile(Path file, Path lockFile) throws IOException {
        this.file = file;
        this.lockFile = lockFile;
        this.processLock = PROCESS_LOCKS.computeIfAbsent(lockFile.toRealPath(), path -> new ReentrantLock());
    }

    static HistoryFile open(Path file) throws IOException {
        Path absolute = file.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        if (parent != null) Files.createDirectories(parent);
        Path lockFile = absolute.resolveSibling(absolute.getFileName() + ".lock");
        createIfMissing(absolute);
        createIfMissing(lockFile);
        return new HistoryFile(absolute, lockFile);
    }

    Path path() {
        return file;
    }

    /**
     * Runs {@code action} holding both locks. A pending interrupt is set aside meanwhile: it is meant
     * for the cell, and would otherwise close the channels (ClosedByInterruptException) and lose the entry.
     */
    void locked(LockedAction action) throws IOException {
        boolean interrupted = Thread.interrupted();
        processLock.lock();
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE, StandardOpenOption.CREATE)) {
            FileLock lock = osLock(channel);
            try {
                action.run();
            } finally {
                if (lock != null) lock.release();
            }
        } finally {
            processLock.unlock();
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /**
     * Null when the file system cannot lock (NFS homes without a working lockd answer ENOLCK):
     * history then works unlocked, with only concurrent kernels at risk, rather than not at all.
     */
    private FileLock osLock(FileChannel channel) {
        if (!osLocking) return null;
        try {
            return channel.lock();
        } catch (IOException e) {
            osLocking = false;
            return null;
        }
    }

    /** Call under {@link #locked}. A trailing line without '\n' is left for later: it is still being written or was cut off by a crash. */
    Batch readNew() throws IOException {
        BasicFileAttributes attributes = attributes();
        List<String> lines = new ArrayList<>();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            String head = firstLine(channel);
            boolean restarted = !everRead || !Objects.equals(attributes.fileKey(), fileKey)
                    || !head.equals(firstLine) || size < offset;
            if (restarted) {
                fileKey = attributes.fileKey();
                firstLine = head;
                offset = 0;
                everRead = true;
            }
            if (size > offset) {
                byte[] bytes = readFully(channel, offset, size - offset);
                int consumed = splitLines(bytes, lines);
                offset += consumed;
            }
            return new Batch(restarted, lines);
        }
    }

    /** Call under {@link #locked}, right after {@link #readNew}; durable when it returns. */
    void append(String line) throws IOException {
        // After a crash mid-write the file ends without '\n'; start afresh so our line stays parseable.
        boolean needsNewline = !endsWithNewline();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            byte[] bytes = ((needsNewline ? "\n" : "") + line + "\n").getBytes(StandardCharsets.UTF_8);
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) channel.write(buffer);
            channel.force(false);
            offset = channel.size(); // we hold the lock, so everything up to here is read or ours
        }
        if (firstLine.isEmpty()) firstLine = currentFirstLine(); // the file was empty: ours is now its first line
    }

    /** Call under {@link #locked}. Atomic: other kernels see either the old file or the new one. */
    void replace(List<String> lines) throws IOException {
        Path temp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                StringBuilder text = new StringBuilder();
                for (String line : lines) text.append(line).append('\n');
                ByteBuffer buffer = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
                while (buffer.hasRemaining()) channel.write(buffer);
                channel.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
        BasicFileAttributes attributes = attributes();
        fileKey = attributes.fileKey();
        offset = attributes.size();
        firstLine = lines.isEmpty() ? "" : lines.get(0);
    }

    private BasicFileAttributes attributes() throws IOException {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException deleted) {
            createIfMissing(file); // someone removed it to clear their history; start a fresh one
            return Files.readAttributes(file, BasicFileAttributes.class);
        }
    }

    /** Owner-only where the OS has such a thing: cells can contain passwords and tokens. */
    private static void createIfMissing(Path path) throws IOException {
        try {
            if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(path);
            }
        } catch (FileAlreadyExistsException ignored) {
            // Normal after the first run.
        }
    }

    private static byte[] readFully(FileChannel channel, long from, long length) throws IOException {
        if (length > Integer.MAX_VALUE - 16) throw new IOException("history file is too large to read: " + length + " bytes");
        ByteBuffer buffer = ByteBuffer.allocate((int) length);
        long position = from;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, position);
            if (read < 0) break;
            position += read;
        }
        byte[] bytes = new byte[buffer.position()];
        buffer.flip();
        buffer.get(bytes);
        return bytes;
    }

    private String currentFirstLine() throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return firstLine(channel);
        }
    }

    /** The first line without its '\n' (at most 4 KiB of it: enough to hold the random id). */
    private static String firstLine(FileChannel channel) throws IOException {
        byte[] start = readFully(channel, 0, Math.min(channel.size(), 4096));
        int end = 0;
        while (end < start.length && start[end] != '\n') end++;
        return new String(start, 0, end, StandardCharsets.UTF_8);
    }

    /** @return bytes consumed: up to and including the last '\n' */
    private static int splitLines(byte[] bytes, List<String> lines) {
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '\n') continue;
            int end = i > start && bytes[i - 1] == '\r' ? i - 1 : i;
            lines.add(new String(bytes, start, end - start, StandardCharsets.UTF_8));
            start = i + 1;
        }
        return start;
    }

    /** True for an empty file too. A separate channel because Java forbids READ together with APPEND. */
    private boolean endsWithNewline() throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size == 0) return true;
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, size - 1);
            return one.get(0) == '\n';
        }
    }
}
