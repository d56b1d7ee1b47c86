package org.hpckernel.magic;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hpckernel.display.MimeBundle;
import org.hpckernel.hpc.config.ClusterTable;

/** The {@code %hpc clusters} table, as plain text and as HTML. */
final class ClusterTableView {
    private static final List<String> HEADERS = List.of("", "NAME", "SCHEDULER", "HOST", "WORKDIR");

    private ClusterTableView() {}

    static MimeBundle render(ClusterTable table) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("text/plain", plain(table));
        data.put("text/html", html(table));
        return new MimeBundle(data, Map.of());
    }

    private static List<String> cells(ClusterTable.Row row) {
        return List.of(row.current() ? "*" : "", row.name(), row.scheduler(), row.host(), row.workdir());
    }

    static String plain(ClusterTable table) {
        int[] widths = new int[HEADERS.size()];
        for (int i = 0; i < widths.length; i++) widths[i] = HEADERS.get(i).length();
        for (ClusterTable.Row row : table.rows()) {
            List<String> cells = cells(row);
            for (int i = 0; i < widths.length; i++) widths[i] = Math.max(widths[i], cells.get(i).length());
        }
        StringBuilder s = new StringBuilder();
        line(s, HEADERS, widths);
        for (ClusterTable.Row row : table.rows()) line(s, cells(row), widths);
        return s.append(table.note()).append('\n').append("config: ").append(table.source()).toString();
    }

    private static void line(StringBuilder s, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) line.append(i == 1 ? " " : "  ");
            line.append(cells.get(i)).append(" ".repeat(widths[i] - cells.get(i).length()));
        }
        s.append(line.toString().stripTrailing()).append('\n');
    }

    static String html(ClusterTable table) {
        StringBuilder s = new StringBuilder("<table>\n<thead><tr>");
        for (String h : HEADERS) s.append("<th>").append(escape(h.toLowerCase(Locale.ROOT))).append("</th>");
        s.append("</tr></thead>\n<tbody>\n");
        for (ClusterTable.Row row : table.rows()) {
            List<String> cells = cells(row);
            s.append("<tr>");
            for (int i = 0; i < cells.size(); i++) {
                String cell = escape(cells.get(i));
                s.append("<td>").append(i == 1 || i == 4 ? "<code>" + cell + "</code>" : cell).append("</td>");
            }
            s.append("</tr>\n");
        }
        return s.append("</tbody>\n</table>\n<p>").append(escape(table.note())).append("<br>config: ")
                .append(escape(table.source())).append("</p>").toString();
    }

    /** Names and paths come from a user's file; none of it may become markup. */
    static String escape(String text) {
        StringBuilder s = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> s.append("&amp;");
                case '<' -> s.append("&lt;");
                case '>' -> s.append("&gt;");
                case '"' -> s.append("&quot;");
                case '\'' -> s.append("&#39;");
                default -> s.append(c);
            }
        }
        return s.toString();
    }
}
