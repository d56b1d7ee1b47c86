package org.hpckernel.export;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A notebook file's code cells, in notebook order. {@code number} is the cell's 1-based position
 * among all cells (markdown included), as a reader counts them in the notebook.
 */
public record NotebookDocument(String name, List<Cell> cells) {
    public record Cell(int number, String source, Set<String> tags) {
        public boolean isParameters() {
            return tags.contains("parameters");
        }
    }

    public NotebookDocument {
        cells = List.copyOf(cells);
    }

    public static NotebookDocument read(Path file) throws ExportException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ExportException("cannot read the notebook " + file + ": " + e.getMessage());
        }
        String base = file.getFileName().toString().replaceFirst("\\.ipynb$", "");
        try {
            return parse(base, JsonParser.parseString(text));
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException e) {
            throw new ExportException(file + " is not a Jupyter notebook (nbformat 4 JSON): " + e.getMessage());
        }
    }

    static NotebookDocument parse(String name, JsonElement json) throws ExportException {
        if (!json.isJsonObject() || !json.getAsJsonObject().has("cells")) {
            throw new ExportException("notebook " + name + " has no \"cells\": not a Jupyter notebook in nbformat 4");
        }
        List<Cell> cells = new ArrayList<>();
        JsonArray all = json.getAsJsonObject().getAsJsonArray("cells");
        for (int i = 0; i < all.size(); i++) {
            JsonObject cell = all.get(i).getAsJsonObject();
            if (!"code".equals(cell.get("cell_type").getAsString())) continue;
            cells.add(new Cell(i + 1, text(cell.get("source")), tags(cell.getAsJsonObject("metadata"))));
        }
        return new NotebookDocument(name, cells);
    }

    /** nbformat stores a source as one string or as a list of lines. */
    private static String text(JsonElement source) {
        if (source == null || source.isJsonNull()) return "";
        if (source.isJsonPrimitive()) return source.getAsString();
        StringBuilder sb = new StringBuilder();
        for (JsonElement line : source.getAsJsonArray()) sb.append(line.getAsString());
        return sb.toString();
    }

    private static Set<String> tags(JsonObject metadata) {
        Set<String> tags = new LinkedHashSet<>();
        if (metadata != null && metadata.has("tags") && metadata.get("tags").isJsonArray()) {
            for (JsonElement t : metadata.getAsJsonArray("tags")) tags.add(t.getAsString());
        }
        return tags;
    }
}
