package org.hpckernel.hpc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A notebook value as it travels: its name, its declared type and its JSON (or its binary form's text). */
public record EncodedValue(String name, String type, String json) {
    public byte[] bytes() {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /** True when the value travels in binary form (Java serialization), not as JSON. */
    public boolean serialized() {
        return org.hpckernel.values.SerialValues.isSerialized(json);
    }

    public long size() {
        return bytes().length;
    }

    public String sha256() {
        return sha256(bytes());
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
