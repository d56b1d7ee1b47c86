package org.hpckernel.magic;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hpckernel.display.MimeBundle;
import org.hpckernel.hpc.options.HpcOption;

/**
 * {@code %hpc help}: the options of {@code %%hpc} and the {@code %hpc} commands, as two tables in
 * HTML, with a plain-text form that stays readable in a terminal (wrapped to 80 columns) for
 * frontends and converters that show text only.
 */
final class HpcHelp {
    static final int WIDTH = 80;
    private static final String INTRO = "%%hpc [options] runs the cell as a batch job: Java code, or a script starting with #!.";
    private static final String FOOTER = "Every job sees HPC_JOB_ID, HPC_CLUSTER and, in arrays, HPC_ARRAY_INDEX; a #! cell also"
            + " HPC_INPUTS (its --in files) and HPC_OUTPUTS (where it writes each --out NAME as NAME.json). A Java cell is compiled"
            + " in the kernel first, and the notebook variables it uses travel with it (up to --max-input in total).";

    /** One row of a table: what to type, and what it does. */
    record Row(String usage, String meaning) {}

    static final List<Row> COMMANDS = List.of(
            new Row("%hpc jobs [--all] [--notebook PATH]", "live and recent jobs (all kernels, kept across restarts)"),
            new Row("%hpc status ID [OTHER]", "a job's state and environment; with OTHER, how they differ"),
            new Row("%hpc attach [ID]", "show a job's output from the start and follow it to its end (the newest job of this notebook without ID)"),
            new Row("%hpc logs ID", "all the output a job wrote so far"),
            new Row("%hpc cancel ID", "cancel a job"),
            new Row("%hpc forget ID | --unconfigured", "drop a job's record (or those of clusters no longer configured)"),
            new Row("%hpc clean [--older-than 7d]", "remove finished jobs' directories and records"),
            new Row("%hpc clusters", "the configured clusters"),
            new Row("%hpc use NAME", "send %%hpc cells to another cluster by default"),
            new Row("%hpc check [NAME]", "can this kernel use the cluster? (login, scheduler, workdir, java)"),
            new Row("%hpc export DIR", "write the notebook as a Maven project and a batch pipeline (--cluster NAME, --force)"),
            new Row("%hpc help", "this help"));

    private HpcHelp() {}

    static List<Row> options() {
        List<Row> rows = new ArrayList<>();
        for (HpcOption o : HpcOption.values()) {
            String usage = o.longName() + o.shortName().map(s -> ", " + s).orElse("") + (o.takesValue() ? " " + o.valueName() : "");
            rows.add(new Row(usage, o.help()));
        }
        return rows;
    }

    static MimeBundle bundle() {
        return new MimeBundle(Map.of("text/plain", plain(), "text/html", html()), Map.of());
    }

    static String plain() {
        StringBuilder s = new StringBuilder();
        for (String line : wrap(INTRO, WIDTH)) s.append(line).append('\n');
        s.append("\nOptions of %%hpc:\n");
        table(s, options());
        s.append("\nCommands:\n");
        table(s, COMMANDS);
        s.append('\n');
        for (String line : wrap(FOOTER, WIDTH)) s.append(line).append('\n');
        return s.toString().stripTrailing();
    }

    /** Two columns; the second wrapped under itself. A first column too wide for the page gets a line of its own. */
    private static void table(StringBuilder s, List<Row> rows) {
        int left = Math.min(rows.stream().mapToInt(r -> r.usage().length()).max().orElse(0), WIDTH / 2 - 4);
        String indent = " ".repeat(2 + left + 2);
        for (Row r : rows) {
            List<String> meaning = wrap(r.meaning(), WIDTH - indent.length());
            if (r.usage().length() > left) {
                s.append("  ").append(r.usage()).append('\n');
                for (String line : meaning) s.append(indent).append(line).append('\n');
                continue;
            }
            s.append("  ").append(r.usage()).append(" ".repeat(left - r.usage().length() + 2)).append(meaning.get(0)).append('\n');
            for (String line : meaning.subList(1, meaning.size())) s.append(indent).append(line).append('\n');
        }
    }

    /** Words to lines of at most {@code width} characters (a longer word stands alone on its line). */
    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (!line.isEmpty() && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (!line.isEmpty()) line.append(' ');
            line.append(word);
        }
        lines.add(line.toString());
        return lines;
    }

    static String html() {
        StringBuilder h = new StringBuilder("<div class=\"hpc-help\"><p>").append(esc(INTRO)).append("</p>");
        htmlTable(h, "Options of %%hpc", "option", options());
        htmlTable(h, "Commands", "command", COMMANDS);
        h.append("<p>").append(esc(FOOTER)).append("</p></div>");
        return h.toString();
    }

    // JupyterLab right-aligns table cells by default (for numbers): help text reads left-aligned.
    private static void htmlTable(StringBuilder h, String caption, String first, List<Row> rows) {
        String cell = " style=\"text-align: left; vertical-align: top\"";
        h.append("<table><caption style=\"text-align: left; font-weight: bold\">").append(esc(caption)).append("</caption>")
                .append("<thead><tr><th").append(cell).append('>').append(first).append("</th><th").append(cell)
                .append(">what it does</th></tr></thead><tbody>");
        for (Row r : rows) {
            h.append("<tr><td").append(cell).append("><code style=\"white-space: nowrap\">").append(esc(r.usage()))
                    .append("</code></td><td").append(cell).append('>').append(esc(r.meaning())).append("</td></tr>");
        }
        h.append("</tbody></table>");
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
