package org.hpckernel.eval;

import java.util.List;

/**
 * Completion candidates: each replaces the cell text between {@code cursorStart} and
 * {@code cursorEnd}.
 */
public record Completion(List<String> matches, int cursorStart, int cursorEnd) {
    public Completion {
        matches = List.copyOf(matches);
    }
}
