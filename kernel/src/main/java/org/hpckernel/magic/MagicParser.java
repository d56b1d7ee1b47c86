package org.hpckernel.magic;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds magics in a cell. A cell magic ({@code %%name}) must be the first non-blank line and owns
 * the rest of the cell. Line magics ({@code %name}) are recognised only in the leading lines: a
 * later line starting with {@code %} can be Java (a remainder operator continued from the line
 * above).
 */
public final class MagicParser {
    private MagicParser() {}

    public static ParsedCell parse(String code) {
        String[] lines = code.split("\n", -1);
        int first = 0;
        while (first < lines.length && lines[first].isBlank()) first++;
        if (first < lines.length && lines[first].stripLeading().startsWith("%%")) {
            String head = lines[first].stripLeading().substring(2);
            String body = String.join("\n", java.util.Arrays.copyOfRange(lines, first + 1, lines.length));
            return new ParsedCell(List.of(), call(head, body), "");
        }
        List<ParsedCell.Call> lineMagics = new ArrayList<>();
        int i = first;
        for (; i < lines.length; i++) {
            String line = lines[i].stripLeading();
            if (line.isEmpty()) continue;
            if (!line.startsWith("%") || line.length() < 2 || !Character.isLetter(line.charAt(1))) break;
            lineMagics.add(call(line.substring(1), null));
            lines[i] = "";
        }
        return new ParsedCell(List.copyOf(lineMagics), null, lineMagics.isEmpty() ? code : String.join("\n", lines));
    }

    private static ParsedCell.Call call(String head, String body) {
        int end = 0;
        while (end < head.length() && !Character.isWhitespace(head.charAt(end))) end++;
        return new ParsedCell.Call(head.substring(0, end), head.substring(end).strip(), body);
    }
}
