package org.hpckernel.translate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Lines of a compiled cell's generated files, mapped back to the cell body and the notebook
 * declarations they were copied from; shipped inside the cell's jar so a stack trace on the node
 * can say "cell, line 3" instead of "Cell.java:14".
 */
public final class CellLines {
    /** Where the map lives in a compiled cell's jar. */
    public static final String RESOURCE = "META-INF/hpc-cell/lines.tsv";

    private final Map<String, String> byFileLine;

    private CellLines(Map<String, String> byFileLine) {
        this.byFileLine = byFileLine;
    }

    /** The map of the compiled cell that {@code loader} loads; empty when it has none. */
    public static CellLines read(ClassLoader loader) {
        Map<String, String> lines = new HashMap<>();
        try (InputStream in = loader.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                for (String row = reader.readLine(); row != null; row = reader.readLine()) {
                    String[] fields = row.split("\t");
                    if (fields.length == 4) {
                        lines.put(fields[0] + ":" + fields[1], fields[2] + ", line " + fields[3]);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new CellLines(lines);
    }

    /** "cell, line 3" or "scaled, line 2" for a frame in the generated classes; null for any other frame. */
    public String describe(StackTraceElement frame) {
        return frame.getFileName() == null ? null : byFileLine.get(frame.getFileName() + ":" + frame.getLineNumber());
    }

    /** The map as shipped: one "file, generated line, where, user line" row per copied line. */
    static byte[] encode(Map<String, GeneratedSource> files) {
        StringBuilder rows = new StringBuilder();
        for (GeneratedSource file : files.values()) {
            file.userLines().forEach((line, located) -> rows.append(file.fileName()).append('\t').append(line).append('\t')
                    .append(located.source().where()).append('\t').append(located.line()).append('\n'));
        }
        return rows.toString().getBytes(StandardCharsets.UTF_8);
    }
}
