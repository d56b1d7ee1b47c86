package org.hpckernel.magic;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.hpckernel.eval.Completion;

/** The magics a session knows, and completion of their names and options. */
public final class MagicRegistry {
    private final Map<String, LineMagic> lineMagics = new TreeMap<>();
    private final Map<String, CellMagic> cellMagics = new TreeMap<>();

    public MagicRegistry register(LineMagic magic) {
        lineMagics.put(magic.name(), magic);
        return this;
    }

    public MagicRegistry register(CellMagic magic) {
        cellMagics.put(magic.name(), magic);
        return this;
    }

    public Optional<LineMagic> line(String name) {
        return Optional.ofNullable(lineMagics.get(name));
    }

    public Optional<CellMagic> cell(String name) {
        return Optional.ofNullable(cellMagics.get(name));
    }

    public Map<String, LineMagic> lineMagics() {
        return Map.copyOf(lineMagics);
    }

    public Map<String, CellMagic> cellMagics() {
        return Map.copyOf(cellMagics);
    }

    /**
     * Completion when the cursor is on a magic line; empty when it is not, so the caller falls
     * back to Java completion.
     */
    public Optional<Completion> complete(String code, int cursor) {
        int lineStart = code.lastIndexOf('\n', Math.max(0, cursor - 1)) + 1;
        if (cursor == 0) lineStart = 0;
        String line = code.substring(lineStart, cursor);
        String trimmed = line.stripLeading();
        if (!trimmed.startsWith("%")) return Optional.empty();
        int indent = line.length() - trimmed.length();
        boolean cell = trimmed.startsWith("%%");
        if (cell && !code.substring(0, lineStart).isBlank()) return Optional.empty();
        int nameStart = indent + (cell ? 2 : 1);
        String afterSigil = line.substring(nameStart);
        int space = indexOfWhitespace(afterSigil);
        if (space < 0) {
            String sigil = cell ? "%%" : "%";
            List<String> names = new ArrayList<>();
            for (String n : (cell ? cellMagics.keySet() : lineMagics.keySet())) {
                if (n.startsWith(afterSigil)) names.add(sigil + n);
            }
            return Optional.of(new Completion(names, lineStart + indent, cursor));
        }
        String name = afterSigil.substring(0, space);
        Magic magic = cell ? cellMagics.get(name) : lineMagics.get(name);
        if (magic == null) return Optional.of(new Completion(List.of(), cursor, cursor));
        String args = afterSigil.substring(space);
        int wordStart = args.length();
        while (wordStart > 0 && !Character.isWhitespace(args.charAt(wordStart - 1))) wordStart--;
        String prefix = args.substring(wordStart);
        List<String> before = new ArrayList<>();
        for (String w : args.substring(0, wordStart).trim().split("\\s+")) {
            if (!w.isEmpty()) before.add(w);
        }
        List<String> matches = magic.complete(before, prefix);
        return Optional.of(new Completion(matches, cursor - prefix.length(), cursor));
    }

    private static int indexOfWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) return i;
        }
        return -1;
    }
}
