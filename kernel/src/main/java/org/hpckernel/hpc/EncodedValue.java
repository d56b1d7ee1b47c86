package org.hpckernel.hpc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A notebook value as it travels: its name, its declared type and its JSON (or its binary form's
 * text), with its size in UTF-8 bytes and their SHA-256, computed once: the cap, the content hash
 * and the manifest all ask for them, and for a 1 MiB value each pass over it counts.
 */
public record EncodedValue(String name, String type, String json, long size, String sha256) {
    public EncodedValue(String name, String type, String json) {
        this(name, type, json, json.getBytes(StandardCharsets.UTF_8));
    }

    private EncodedValue(String name, String type, String json, byte[] bytes) {
        this(name, type, json, bytes.length, sha256(bytes));
    }

    public byte[] bytes() {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /** True when the value travels in binary form (Java serialization), not as JSON. */
    public boolean serialized() {
        return org.hpckernel.values.SerialValues.isSerialized(json);
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
