package org.hpckernel.hpc.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hpckernel.display.MimeBundle;

/** The {@code %hpc clusters} table, as plain text and as HTML. */
public record ClusterTable(String plain, String html) {
    private static final List<String> HEADERS = List.of("", "NAME", "SCHEDULER", "HOST", "WORKDIR");

    static ClusterTable of(ClusterConfig config, String current) {
        List<List<String>> rows = new ArrayList<>();
        for (ClusterProfile c : config.clusters()) {
            rows.add(List.of(c.name().equals(current) ? "*" : "", c.name(), c.scheduler(), host(c), c.workdir()));
        }
        String source = config.source() == null
                ? "no " + config.sourceLabel() + ", so jobs run on this machine; create that file to add clusters"
                : config.sourceLabel();
        String note = "* = where cells without --cluster run (change with %hpc use NAME)";
        return new ClusterTable(plain(rows, note, source), html(rows, note, source));
    }

    public MimeBundle toMimeBundle() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("text/plain", plain);
        data.put("text/html", html);
        return new MimeBundle(data, Map.of());
    }

    /** user@host:port as ssh would be told, or "this machine" for a cluster without "host". */
    static String host(ClusterProfile c) {
        if (c.ssh() == null) return "this machine";
        var ssh = c.ssh();
        return (ssh.user() == null ? "" : ssh.user() + "@") + ssh.host() + (ssh.port() == null ? "" : ":" + ssh.port());
    }

    private static String plain(List<List<String>> rows, String note, String source) {
        int[] widths = new int[HEADERS.size()];
        for (int i = 0; i < widths.length; i++) widths[i] = HEADERS.get(i).length();
        for (List<String> row : rows) {
            for (int i = 0; i < widths.length; i++) widths[i] = Math.max(widths[i], row.get(i).length());
        }
        StringBuilder s = new StringBuilder();
        line(s, HEADERS, widths);
        for (List<String> row : rows) line(s, row, widths);
        return s.append(note).append('\n').append("config: ").append(source).toString();
    }

    private static void line(StringBuilder s, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) line.append(i == 1 ? " " : "  ");
            line.append(cells.get(i)).append(" ".repeat(widths[i] - cells.get(i).length()));
        }
        s.append(line.toString().stripTrailing()).append('\n');
    }

    private static String html(List<List<String>> rows, String note, String source) {
        StringBuilder s = new StringBuilder("<table>\n<thead><tr>");
        for (String h : HEADERS) s.append("<th>").append(escape(h.toLowerCase(Locale.ROOT))).append("</th>");
        s.append("</tr></thead>\n<tbody>\n");
        for (List<String> row : rows) {
            s.append("<tr>");
            for (int i = 0; i < row.size(); i++) {
                String cell = escape(row.get(i));
                s.append("<td>").append(i == 1 || i == 4 ? "<code>" + cell + "</code>" : cell).append("</td>");
            }
            s.append("</tr>\n");
        }
        return s.append("</tbody>\n</table>\n<p>").append(escape(note)).append("<br>config: ")
                .append(escape(source)).append("</p>").toString();
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
