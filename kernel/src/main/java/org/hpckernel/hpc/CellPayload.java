package org.hpckernel.hpc;

import java.util.List;

/**
 * What an %%hpc cell asks to run: a script with its own interpreter (the body starts with
 * "#!"), or Java run by the remote runner after the notebook's declarations.
 *
 * <p>The body is taken as the editor shows it: JupyterLab edits the cell in Java mode and indents
 * every line typed after {@code %%hpc}, so the common indentation of the whole body is removed
 * before anything else (an indented Python payload would otherwise fail with "unexpected indent").
 * When the shebang line itself was typed less indented than the script below it, the script is
 * dedented on its own too: its first line is the start of a program and cannot be meant indented.
 */
public record CellPayload(String body, boolean shebang) {
    public static CellPayload of(String body) {
        List<String> lines = dedent(body.lines().toList());
        int first = 0;
        while (first < lines.size() && lines.get(first).isBlank()) first++;
        if (first < lines.size() && lines.get(first).stripLeading().startsWith("#!")) {
            List<String> script = dedent(lines.subList(first + 1, lines.size()));
            return new CellPayload(join(lines.get(first).stripLeading(), script), true);
        }
        // Java keeps its leading blank lines: error line numbers count from the %%hpc line.
        return new CellPayload(join(null, lines), false);
    }

    /** The lines without the whitespace prefix all non-blank ones share; blank lines become empty. */
    static List<String> dedent(List<String> lines) {
        String common = null;
        for (String line : lines) {
            if (line.isBlank()) continue;
            String indent = line.substring(0, line.length() - line.stripLeading().length());
            common = common == null ? indent : sharedPrefix(common, indent);
        }
        int cut = common == null ? 0 : common.length();
        return lines.stream().map(l -> l.isBlank() ? "" : l.substring(cut)).toList();
    }

    private static String sharedPrefix(String a, String b) {
        int n = 0;
        while (n < a.length() && n < b.length() && a.charAt(n) == b.charAt(n)) n++;
        return a.substring(0, n);
    }

    private static String join(String head, List<String> lines) {
        StringBuilder sb = new StringBuilder();
        if (head != null) sb.append(head).append('\n');
        for (String line : lines) sb.append(line).append('\n');
        return sb.toString();
    }
}
