package org.hpckernel.hpc.transport;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where a cluster's commands run and its files live: this machine, or a login node over SSH.
 * Commands are argv lists, never shell text: an implementation that needs a command line (SSH)
 * quotes every word itself. Paths are absolute paths on the cluster side ({@link #home()} resolves
 * {@code ~}).
 */
public interface Transport extends AutoCloseable {
    /** "local" or "ssh user@host:port", for messages. */
    String describe();

    CommandResult run(List<String> argv, String stdin, Duration timeout) throws IOException;

    default CommandResult run(List<String> argv, Duration timeout) throws IOException {
        return run(argv, null, timeout);
    }

    /** The user's home directory on the cluster side. */
    String home() throws IOException;

    /**
     * The numeric user id commands run as on the cluster side (what {@link FileInfo#uid()} of the
     * user's own files is).
     */
    default int userId() throws IOException {
        CommandResult r = run(List.of("id", "-u"), Duration.ofSeconds(30));
        String out = r.stdout().strip();
        if (!r.ok() || !out.matches("\\d{1,10}")) {
            throw new IOException("cannot learn the user id on " + describe() + " (`id -u` said: " + r.output().strip() + ")");
        }
        return Integer.parseInt(out);
    }

    /**
     * Type, owner and mode of {@code path}, or empty when it does not exist. With {@code followLinks}
     * false a symbolic link is reported as {@link FileInfo.Type#SYMLINK} (lstat).
     */
    default Optional<FileInfo> info(String path, boolean followLinks) throws IOException {
        List<String> argv = new java.util.ArrayList<>(List.of("stat"));
        if (followLinks) argv.add("-L");
        argv.addAll(List.of("-c", "%f %u %s", "--", path));
        CommandResult r = run(argv, Duration.ofSeconds(30));
        if (!r.ok()) {
            if (r.stderr().contains("No such file")) return Optional.empty();
            throw new IOException("cannot stat " + path + " on " + describe() + ": " + r.output());
        }
        String[] f = r.stdout().strip().split(" ");
        int raw = Integer.parseInt(f[0], 16);
        return Optional.of(new FileInfo(FileInfo.typeOf(raw), Integer.parseInt(f[1]), raw & 07777, Long.parseLong(f[2])));
    }

    /** mkdir -p, then mode 0700 on the last directory. */
    void makePrivateDirectory(String path) throws IOException;

    /** Writes atomically (temporary file, then rename): mode 0700 if executable, else 0600. */
    void writeFile(String path, byte[] content, boolean executable) throws IOException;

    /**
     * Creates {@code dir} (mode 0700, parents as needed) and writes the files into it (a name may
     * hold one directory, "inputs/x.json", created private too) (mode 0700
     * for the executables, 0600 otherwise). A remote transport does it in one round trip.
     */
    default void writeDirectory(String dir, java.util.Map<String, byte[]> files, java.util.Set<String> executables)
            throws IOException {
        makePrivateDirectory(dir);
        for (String name : files.keySet()) {
            int slash = name.lastIndexOf('/');
            if (slash > 0) makePrivateDirectory(dir + "/" + name.substring(0, slash));
        }
        for (java.util.Map.Entry<String, byte[]> f : files.entrySet()) {
            writeFile(dir + "/" + f.getKey(), f.getValue(), executables.contains(f.getKey()));
        }
    }

    /** The whole file, or empty when it does not exist. */
    Optional<byte[]> readFile(String path) throws IOException;

    /**
     * Up to {@code maxBytes} from {@code offset}; an empty array when there is nothing new or the
     * file does not exist yet. Used to follow growing output files.
     */
    byte[] readFrom(String path, long offset, int maxBytes) throws IOException;

    /** Size in bytes, or -1 when the file does not exist. */
    long size(String path) throws IOException;

    /** Removes a file or a directory tree; missing is fine. */
    void delete(String path) throws IOException;

    @Override
    void close();
}
