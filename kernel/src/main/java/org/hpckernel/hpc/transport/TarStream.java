package org.hpckernel.hpc.transport;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * A minimal ustar archive of files (at most one directory deep), so a job directory can be staged on a login node with
 * one command ({@code tar -x}) instead of several SFTP round trips per file.
 */
final class TarStream {
    private TarStream() {}

    static byte[] of(Map<String, byte[]> files, Set<String> executables) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long now = System.currentTimeMillis() / 1000;
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            String name = f.getKey();
            if (!plain(name)) throw new IllegalArgumentException("not a plain file name for the archive: " + name);
            byte[] header = new byte[512];
            put(header, 0, name, 100);
            put(header, 100, octal(executables.contains(name) ? 0700 : 0600, 7), 8);
            put(header, 108, octal(0, 7), 8);
            put(header, 116, octal(0, 7), 8);
            put(header, 124, octal(f.getValue().length, 11), 12);
            put(header, 136, octal(now, 11), 12);
            for (int i = 148; i < 156; i++) header[i] = ' ';
            header[156] = '0';
            put(header, 257, "ustar", 6);
            put(header, 263, "00", 2);
            int sum = 0;
            for (byte b : header) sum += b & 0xff;
            put(header, 148, octal(sum, 6), 7);
            header[155] = ' ';
            out.writeBytes(header);
            out.writeBytes(f.getValue());
            int pad = (512 - f.getValue().length % 512) % 512;
            out.writeBytes(new byte[pad]);
        }
        out.writeBytes(new byte[1024]);
        return out.toByteArray();
    }

    /** A file name, or one directory and a file name in it ("inputs/x.json"): tar creates the directory (mode from umask). */
    private static boolean plain(String name) {
        if (name.isEmpty() || name.length() > 99) return false;
        String[] parts = name.split("/", -1);
        if (parts.length > 2) return false;
        for (String p : parts) if (p.isEmpty() || p.startsWith(".")) return false;
        return true;
    }

    /** The same archive, gzipped: tar headers and padding are mostly zeros, so a job stages in ~2 KB. */
    static byte[] gzipped(Map<String, byte[]> files, Set<String> executables) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(out)) {
            gz.write(of(files, executables));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String octal(long value, int digits) {
        StringBuilder s = new StringBuilder(Long.toOctalString(value));
        while (s.length() < digits) s.insert(0, '0');
        return s.toString();
    }

    private static void put(byte[] header, int at, String text, int width) {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, header, at, Math.min(b.length, width));
    }
}
