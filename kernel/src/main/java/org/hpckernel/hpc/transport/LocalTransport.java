package org.hpckernel.hpc.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Commands and files on this machine. Commands run without a shell (ProcessBuilder argv), with
 * the {@link InheritedEnvironment} only.
 */
public final class LocalTransport implements Transport {
    @Override
    public String describe() {
        return "local";
    }

    @Override
    public CommandResult run(List<String> argv, String stdin, Duration timeout) throws IOException {
        // Submit commands pass their environment into the job: only the allow-listed part goes.
        ProcessBuilder builder = InheritedEnvironment.apply(new ProcessBuilder(argv));
        Process p = builder.redirectInput(stdin == null ? ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))
                : ProcessBuilder.Redirect.PIPE).start();
        if (stdin != null) {
            try (OutputStream in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        CompletableFuture<String> out = drain(p.getInputStream());
        CompletableFuture<String> err = drain(p.getErrorStream());
        boolean finished;
        try {
            finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + argv.get(0), e);
        }
        if (!finished) {
            p.destroyForcibly();
            return new CommandResult(argv, -1, out.getNow(""), err.getNow(""), true);
        }
        return new CommandResult(argv, p.exitValue(), out.join(), err.join(), false);
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                ByteArrayOutputStream buffer = new ByteArrayOutputStream();
                stream.transferTo(buffer);
                return buffer.toString(StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
    }

    private static volatile Integer userId;

    /** This process's uid: it does not change, so it is asked once. */
    @Override
    public int userId() throws IOException {
        Integer id = userId;
        if (id == null) {
            id = Transport.super.userId();
            userId = id;
        }
        return id;
    }

    @Override
    public String home() {
        return System.getProperty("user.home");
    }

    @Override
    public Optional<FileInfo> info(String path, boolean followLinks) throws IOException {
        java.nio.file.LinkOption[] how = followLinks ? new java.nio.file.LinkOption[0]
                : new java.nio.file.LinkOption[] {java.nio.file.LinkOption.NOFOLLOW_LINKS};
        try {
            java.util.Map<String, Object> a = Files.readAttributes(Path.of(path), "unix:mode,uid,size", how);
            int mode = (Integer) a.get("mode");
            return Optional.of(new FileInfo(FileInfo.typeOf(mode), (Integer) a.get("uid"), mode & 07777, (Long) a.get("size")));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public void makePrivateDirectory(String path) throws IOException {
        Path dir = Path.of(path);
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }

    @Override
    public void writeFile(String path, byte[] content, boolean executable) throws IOException {
        Path target = Path.of(path);
        Path temp = target.resolveSibling("." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        boolean done = false;
        try {
            // Private before the first byte is written.
            Files.newOutputStream(temp).close();
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString(executable ? "rwx------" : "rw-------"));
            Files.write(temp, content);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } finally {
            // A full disk must not leave a half-written temporary file behind.
            if (!done) Files.deleteIfExists(temp);
        }
    }

    @Override
    public Optional<byte[]> readFile(String path) throws IOException {
        try {
            return Optional.of(Files.readAllBytes(Path.of(path)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public byte[] readFrom(String path, long offset, int maxBytes) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(path, "r")) {
            long available = file.length() - offset;
            if (available <= 0) return new byte[0];
            byte[] data = new byte[(int) Math.min(available, maxBytes)];
            file.seek(offset);
            file.readFully(data);
            return data;
        } catch (java.io.FileNotFoundException e) {
            return new byte[0];
        }
    }

    @Override
    public long size(String path) throws IOException {
        Path p = Path.of(path);
        return Files.exists(p) ? Files.size(p) : -1;
    }

    @Override
    public void delete(String path) throws IOException {
        Path root = Path.of(path);
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    @Override
    public void close() {}
}
