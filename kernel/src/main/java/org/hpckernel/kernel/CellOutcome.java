package org.hpckernel.kernel;

import java.util.List;
import java.util.Map;
import org.hpckernel.display.MimeBundle;
import org.hpckernel.protocol.content.ErrorContent;

/** How a cell ended: a value to show (or none), an error (or none), and reply payloads (the pager). */
record CellOutcome(MimeBundle result, ErrorContent error, List<Map<String, Object>> payload) {
    static CellOutcome ok(MimeBundle result) {
        return new CellOutcome(result, null, List.of());
    }

    static CellOutcome failed(ErrorContent error) {
        return new CellOutcome(null, error, List.of());
    }

    static CellOutcome page(String text) {
        return new CellOutcome(null, null,
                List.of(Map.of("source", "page", "data", Map.of("text/plain", text), "start", 0)));
    }
}
