package org.hpckernel.display;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A value rendered for Jupyter: MIME type to content (a String, or a JSON-like Map/List for
 * {@code application/json}), plus per-type metadata (e.g. image width).
 */
public record MimeBundle(Map<String, Object> data, Map<String, Object> metadata) {
    public MimeBundle {
        data = Map.copyOf(new LinkedHashMap<>(data));
        metadata = Map.copyOf(new LinkedHashMap<>(metadata));
    }

    public static MimeBundle text(String plain) {
        return new MimeBundle(Map.of("text/plain", plain), Map.of());
    }
}
