package org.hpckernel.hpc.ledger;

import java.nio.charset.StandardCharsets;

/**
 * Ledger file names from job keys and scheduler ids, whatever characters those hold (PBS arrays
 * are {@code 123[].server}, LSF elements {@code 12[3]}): letters, digits, '_', '-' and '.' stay,
 * every other byte of the UTF-8 form becomes {@code %XX}, and so does a leading '.' (hidden
 * names are the ledger's temporary files). The result never contains '/' and is never "." or "..",
 * and different inputs give different names.
 */
final class FileNames {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private FileNames() {}

    static String encode(String s) {
        if (s.isEmpty()) throw new IllegalArgumentException("empty ledger key");
        StringBuilder out = new StringBuilder(s.length());
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            boolean plain = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '_' || b == '-'
                    || (b == '.' && i > 0);
            if (plain) {
                out.append((char) b);
            } else {
                out.append('%').append(HEX[b >> 4]).append(HEX[b & 0xf]);
            }
        }
        return out.toString();
    }
}
