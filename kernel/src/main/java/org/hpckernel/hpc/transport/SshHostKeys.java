package org.hpckernel.hpc.transport;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.UserInfo;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.hpckernel.util.Log;

/**
 * known_hosts checking for one connection attempt: the user's files (the first one receives new
 * keys) and the read-only global files, parsed by JSch (hashed names, [host]:port, wildcards,
 * markers). JSch runs with StrictHostKeyChecking=yes; accept-new is done here: an unknown key is
 * appended to the user's file, a changed key is always refused. The key seen last is remembered
 * so the error message can show its type and fingerprint.
 */
final class SshHostKeys implements HostKeyRepository {
    /** What the server presented when the check did not pass. */
    record Seen(String host, String type, String fingerprint, String base64, int result, Path conflictingFile) {
        /** The known_hosts line that trusts this key. */
        String knownHostsLine() {
            return host + " " + type + " " + base64;
        }
    }

    private record Source(Path file, HostKeyRepository keys) {}

    private final List<Source> user = new ArrayList<>();
    private final List<Source> global = new ArrayList<>();
    private final Path writable;
    private final boolean acceptNew;
    private volatile Seen refused;
    private volatile Seen added;

    SshHostKeys(List<Path> userFiles, List<Path> globalFiles, boolean acceptNew) throws SshException {
        this.writable = userFiles.get(0);
        this.acceptNew = acceptNew;
        for (Path p : userFiles) load(p, user);
        for (Path p : globalFiles) load(p, global);
    }

    private static void load(Path file, List<Source> into) throws SshException {
        if (!Files.isRegularFile(file)) return;
        try {
            JSch jsch = new JSch();
            jsch.setKnownHosts(file.toString());
            into.add(new Source(file, jsch.getHostKeyRepository()));
        } catch (JSchException e) {
            throw new SshException(SshException.Kind.CONFIG, "cannot read known_hosts file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The key that made the last check fail, or null. */
    Seen refused() {
        return refused;
    }

    /** The key added by accept-new during this attempt, or null. */
    Seen added() {
        return added;
    }

    Path writableFile() {
        return writable;
    }

    @Override
    public int check(String host, byte[] key) {
        int result = NOT_INCLUDED;
        Path conflict = null;
        for (Source r : all()) {
            int c = r.keys().check(host, key);
            if (c == OK) return OK;
            if (c == CHANGED && conflict == null) {
                result = CHANGED;
                conflict = r.file();
            }
        }
        Seen seen = describe(host, key, result, conflict);
        if (result == NOT_INCLUDED && acceptNew && seen != null) {
            try {
                append(seen.knownHostsLine());
                added = seen;
                Log.info("ssh: added the %s key of %s (%s) to %s (accept-new)", seen.type(), host, seen.fingerprint(), writable);
                return OK;
            } catch (IOException e) {
                Log.warn("ssh: cannot add the host key of %s to %s: %s", host, writable, e.getMessage());
            }
        }
        refused = seen;
        return result;
    }

    static Seen describe(String host, byte[] key, int result, Path conflictingFile) {
        try {
            HostKey hk = new HostKey(host, key);
            return new Seen(host, hk.getType(), fingerprint(key), hk.getKey(), result, conflictingFile);
        } catch (JSchException e) {
            return new Seen(host, "unknown", fingerprint(key), Base64.getEncoder().encodeToString(key), result, conflictingFile);
        }
    }

    /** OpenSSH's SHA256 fingerprint: {@code SHA256:} + unpadded base64 of the key blob's SHA-256. */
    static String fingerprint(byte[] key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private synchronized void append(String line) throws IOException {
        Path dir = writable.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            try {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
        }
        boolean needsNewline = false;
        if (Files.isRegularFile(writable) && Files.size(writable) > 0) {
            try (RandomAccessFile f = new RandomAccessFile(writable.toFile(), "r")) {
                f.seek(f.length() - 1);
                needsNewline = f.read() != '\n';
            }
        } else if (!Files.exists(writable)) {
            Files.createFile(writable);
            try {
                Files.setPosixFilePermissions(writable, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
        }
        Files.writeString(writable, (needsNewline ? "\n" : "") + line + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
    }

    @Override
    public void add(HostKey hostkey, UserInfo ui) {
        // Only reached if JSch decides to insert a key, which StrictHostKeyChecking=yes never does.
        try {
            append(hostkey.getHost() + " " + hostkey.getType() + " " + hostkey.getKey());
        } catch (IOException e) {
            Log.warn("ssh: cannot write %s: %s", writable, e.getMessage());
        }
    }

    @Override
    public void remove(String host, String type) {
        // Never removes keys: that is for the user to do (ssh-keygen -R).
    }

    @Override
    public void remove(String host, String type, byte[] key) {
        // Never removes keys.
    }

    @Override
    public String getKnownHostsRepositoryID() {
        return writable.toString();
    }

    @Override
    public HostKey[] getHostKey() {
        List<HostKey> keys = new ArrayList<>();
        for (Source r : all()) {
            HostKey[] k = r.keys().getHostKey();
            if (k != null) keys.addAll(List.of(k));
        }
        return keys.toArray(new HostKey[0]);
    }

    @Override
    public HostKey[] getHostKey(String host, String type) {
        List<HostKey> keys = new ArrayList<>();
        for (Source r : all()) {
            HostKey[] k = r.keys().getHostKey(host, type);
            if (k != null) keys.addAll(List.of(k));
        }
        return keys.toArray(new HostKey[0]);
    }

    private List<Source> all() {
        List<Source> all = new ArrayList<>(user);
        all.addAll(global);
        return all;
    }
}
