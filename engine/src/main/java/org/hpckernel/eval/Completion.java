package org.hpckernel.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Completion candidates: each replaces the cell text between {@code cursorStart} and
 * {@code cursorEnd} (char offsets into the cell).
 */
public record Completion(List<String> matches, int cursorStart, int cursorEnd, List<CompletionItem> items) {
    public Completion {
        matches = List.copyOf(matches);
        items = List.copyOf(items);
    }

    /** Candidates known by their text only (magics, options). */
    public Completion(List<String> matches, int cursorStart, int cursorEnd) {
        this(matches, cursorStart, cursorEnd, List.of());
    }

    static Completion of(List<CompletionItem> items, int cursorStart, int cursorEnd) {
        return new Completion(items.stream().map(CompletionItem::text).toList(), cursorStart, cursorEnd, items);
    }

    /**
     * The complete_reply's metadata: {@code _jupyter_types_experimental} lists each match with its
     * kind and signature (JupyterLab shows the kind in its completer), offsets in code points of
     * {@code code} as the reply's cursor positions are.
     */
    public Map<String, Object> replyMetadata(String code) {
        if (items.isEmpty()) {
            return Map.of();
        }
        int start = code.codePointCount(0, cursorStart);
        int end = code.codePointCount(0, cursorEnd);
        List<Map<String, Object>> types = new ArrayList<>();
        for (CompletionItem item : items) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("start", start);
            t.put("end", end);
            t.put("text", item.text());
            t.put("type", item.kind());
            t.put("signature", item.signature());
            types.add(t);
        }
        return Map.of("_jupyter_types_experimental", types);
    }
}
