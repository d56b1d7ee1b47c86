package org.hpckernel.translate;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;

/**
 * A jar whose bytes depend on its entries only: sorted entries, one fixed timestamp. The same cell
 * gives the same cell jar, the same kernel the same runner jar, so both can be named by their SHA-256.
 */
public final class DeterministicJar {
    /** The earliest time a zip entry can hold; local time, so the time zone changes nothing. */
    private static final LocalDateTime FIXED_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    private DeterministicJar() {}

    /**
     * @param classes class file bytes by binary name
     * @param resources other entries, by their path in the jar
     */
    static byte[] of(Map<String, byte[]> classes, Map<String, byte[]> resources) {
        Map<String, byte[]> files = new TreeMap<>(resources);
        classes.forEach((name, bytes) -> files.put(name.replace('.', '/') + ".class", bytes));
        return of((String) null, files);
    }

    /**
     * @param mainClass the manifest's Main-Class, or null
     * @param files entries by their path in the jar
     */
    public static byte[] of(String mainClass, Map<String, byte[]> files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (mainClass != null) manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
        try (JarOutputStream jar = new JarOutputStream(out)) {
            ZipEntry manifestEntry = new ZipEntry(JarFile.MANIFEST_NAME);
            manifestEntry.setTimeLocal(FIXED_TIME);
            jar.putNextEntry(manifestEntry);
            manifest.write(jar);
            jar.closeEntry();
            for (Map.Entry<String, byte[]> entry : new TreeMap<>(files).entrySet()) {
                JarEntry file = new JarEntry(entry.getKey());
                file.setTimeLocal(FIXED_TIME);
                jar.putNextEntry(file);
                jar.write(entry.getValue());
                jar.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
