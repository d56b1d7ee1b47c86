package org.hpckernel.hpc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.hpckernel.hpc.transport.ShellQuote;
import org.hpckernel.hpc.transport.Transport;
import org.hpckernel.runner.JobLayout;

/**
 * The session's class path as a Java job gets it: every jar (from %jars or %maven) is shipped to
 * a content-addressed cache in the work directory, {@code WORKDIR/jars/SHA256.jar}, uploaded only
 * when missing, and checked on the node by job.sh before the runner starts; the job's
 * {@code classpath.txt} lists the cached copies, so nothing depends on the kernel's paths (its
 * {@code ~/.m2}) existing on the cluster. A directory on the class path is passed on as it is.
 */
public final class JobClasspath {
    /** A jar of the session: its file name, SHA-256 and size, and where the job finds it. */
    public record CachedJar(String name, Path local, String sha256, long size, String path) {}

    private record Hashed(long size, long modified, String sha256) {}

    /** Hashes by file, kept while the file keeps its size and time: a jar is read once per session. */
    private static final Map<Path, Hashed> HASHES = new ConcurrentHashMap<>();

    private final List<String> entries;
    private final List<CachedJar> jars;

    private JobClasspath(List<String> entries, List<CachedJar> jars) {
        this.entries = List.copyOf(entries);
        this.jars = List.copyOf(jars);
    }

    public static JobClasspath of(String workdir, List<String> classpath) throws IOException {
        List<String> entries = new ArrayList<>();
        Map<String, CachedJar> jars = new LinkedHashMap<>();
        for (String entry : classpath) {
            Path local = Path.of(entry);
            if (!Files.isRegularFile(local)) {
                entries.add(entry);
                continue;
            }
            Hashed h = hash(local);
            String path = workdir + "/" + JobLayout.JARS_DIR + "/" + JobLayout.cachedJar(h.sha256());
            // The same bytes under two names (a jar added twice) is one class-path entry.
            if (jars.putIfAbsent(h.sha256(), new CachedJar(local.getFileName().toString(), local, h.sha256(), h.size(), path)) == null) {
                entries.add(path);
            }
        }
        return new JobClasspath(entries, new ArrayList<>(jars.values()));
    }

    /** What {@code classpath.txt} lists, in the session's order. */
    public List<String> entries() {
        return entries;
    }

    public List<CachedJar> jars() {
        return jars;
    }

    /** Uploads the jars the work directory lacks (one stat each); returns how many were uploaded. */
    public int stage(Transport transport) throws IOException {
        int uploaded = 0;
        for (CachedJar jar : jars) {
            boolean sent = StagedFile.ensure(transport, jar.path(), jar.size(), () -> bytes(jar), "cached jar (" + jar.name() + ")");
            if (sent) uploaded++;
        }
        return uploaded;
    }

    /** What the manifest records: each jar's name, SHA-256 and size. */
    public List<Map<String, Object>> manifest() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (CachedJar jar : jars) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", jar.name());
            m.put("sha256", jar.sha256());
            m.put("size", jar.size());
            list.add(m);
        }
        return list;
    }

    /**
     * job.sh lines that check every cached jar before the runner starts, as the runner jar is
     * checked (needs {@code hpc_sha256}): the user's own file with the SHA-256 its name says, else
     * the job fails with the reason and a bad jar of the user's is removed, so that the kernel
     * uploads it again for the next Java cell.
     */
    public static List<String> nodeChecks(List<CachedJar> jars, int refusedExitCode) {
        if (jars.isEmpty()) return List.of();
        List<String> lines = new ArrayList<>();
        lines.add("hpc_check_jar() { local hpc_h; if [ ! -f \"$1\" ]; then hpc_why='it is missing'; elif [ ! -O \"$1\" ]; then"
                + " hpc_why='it belongs to another user'; else hpc_h=$(hpc_sha256 \"$1\"); [ \"$hpc_h\" = \"$2\" ] && return 0;"
                + " hpc_why=\"its SHA-256 is $hpc_h, not $2 (corrupted or replaced)\"; fi;"
                + " echo \"hpc-kernel: refusing to use the cached jar $1 ($3): $hpc_why. The kernel uploads it again for the next Java cell.\" >&2;"
                + " [ -f \"$1\" ] && [ -O \"$1\" ] && rm -f -- \"$1\"; exit " + refusedExitCode + "; }");
        for (CachedJar jar : jars) {
            if (!jar.sha256().matches("[0-9a-f]{64}")) throw new IllegalArgumentException("not a SHA-256: " + jar.sha256());
            lines.add("hpc_check_jar " + ShellQuote.quote(jar.path()) + " " + jar.sha256() + " " + ShellQuote.quote(jar.name()));
        }
        return lines;
    }

    private static byte[] bytes(CachedJar jar) throws IOException {
        byte[] b = Files.readAllBytes(jar.local());
        String sha = HexFormat.of().formatHex(digest().digest(b));
        if (!sha.equals(jar.sha256())) {
            throw new IOException(jar.local() + " changed since the cell was prepared (its SHA-256 is now " + sha
                    + "): run the cell again");
        }
        return b;
    }

    private static Hashed hash(Path file) throws IOException {
        long size = Files.size(file);
        long modified = Files.getLastModifiedTime(file).toMillis();
        Hashed known = HASHES.get(file);
        if (known != null && known.size() == size && known.modified() == modified) return known;
        MessageDigest d = digest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), d)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        Hashed h = new Hashed(size, modified, HexFormat.of().formatHex(d.digest()));
        HASHES.put(file, h);
        return h;
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
