package org.hpckernel.protocol;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC over header, parent header, metadata and content, as the connection file's
 * signature_scheme says. With an empty key signing is off (the spec's "no authentication").
 */
public final class MessageSigner {
    private static final HexFormat HEX = HexFormat.of();
    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;

    public MessageSigner(String key, String scheme) {
        if (key == null || key.isEmpty()) {
            this.key = null;
            this.macs = null;
            return;
        }
        String s = scheme == null ? "hmac-sha256" : scheme.toLowerCase(Locale.ROOT);
        if (!s.startsWith("hmac-")) throw new IllegalArgumentException("unsupported signature_scheme " + scheme);
        String algorithm = "Hmac" + s.substring(5).toUpperCase(Locale.ROOT);
        this.key = new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), algorithm);
        this.macs = ThreadLocal.withInitial(this::newMac);
        newMac(); // fail now, not on the first message, if the JDK lacks the algorithm
    }

    public boolean enabled() {
        return key != null;
    }

    /** Lower-case hex signature of the four frames ("" when signing is off). */
    public String sign(byte[] header, byte[] parent, byte[] metadata, byte[] content) {
        return key == null ? "" : HEX.formatHex(digest(header, parent, metadata, content));
    }

    /** Constant-time check, so timing tells an attacker nothing about how much of a guess matched. */
    public boolean verify(byte[] signature, byte[] header, byte[] parent, byte[] metadata, byte[] content) {
        if (key == null) return true;
        byte[] expected = HEX.formatHex(digest(header, parent, metadata, content)).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, signature);
    }

    private byte[] digest(byte[]... parts) {
        Mac mac = macs.get();
        for (byte[] p : parts) mac.update(p);
        return mac.doFinal();
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(key.getAlgorithm());
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot sign with " + key.getAlgorithm() + ": " + e.getMessage(), e);
        }
    }
}
