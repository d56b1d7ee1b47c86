package org.hpckernel.install;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** The kernel.json Jupyter reads to start the kernel. */
public record KernelJson(List<String> argv, String displayName) {
    // No HTML escaping: it would turn every '=' in -XX:Flag=value into \u003d.
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    public KernelJson {
        argv = List.copyOf(argv);
    }

    /**
     * {@code java <jvm options> -jar <jar> kernel {connection_file}}; Jupyter substitutes the
     * connection file. {@code jvmOptions} already include any CDS flags.
     */
    public static List<String> argv(Path java, List<String> jvmOptions, Path jar) {
        List<String> argv = new ArrayList<>();
        argv.add(java.toString());
        argv.addAll(jvmOptions);
        argv.add("-jar");
        argv.add(jar.toString());
        argv.add("kernel");
        argv.add("{connection_file}");
        return argv;
    }

    public String toJson() {
        JsonObject root = new JsonObject();
        JsonArray args = new JsonArray();
        argv.forEach(args::add);
        root.add("argv", args);
        root.addProperty("display_name", displayName);
        root.addProperty("language", "java");
        // The kernel handles interrupt_request itself; signals would hit the JVM, not the cell.
        root.addProperty("interrupt_mode", "message");
        JsonObject metadata = new JsonObject();
        metadata.addProperty("debugger", false);
        root.add("metadata", metadata);
        return GSON.toJson(root) + "\n";
    }

    /** Readers (Jupyter listing kernels while we install) never see a half-written file. */
    public void writeTo(Path kernelspecDir) throws IOException {
        Path target = kernelspecDir.resolve(KernelspecFiles.KERNEL_JSON);
        Path temp = AtomicFiles.tempSibling(target);
        try {
            Files.writeString(temp, toJson(), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            AtomicFiles.moveReplacing(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Whether the directory holds a kernelspec this installer wrote: its kernel.json argv runs
     * hpc-kernel.jar. Used to never overwrite or delete someone else's kernel.
     */
    public static boolean isOurs(Path kernelspecDir) {
        Path file = kernelspecDir.resolve(KernelspecFiles.KERNEL_JSON);
        if (!Files.isRegularFile(file)) return false;
        try {
            JsonElement argv = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8))
                    .getAsJsonObject().get("argv");
            if (argv == null || !argv.isJsonArray()) return false;
            for (JsonElement arg : argv.getAsJsonArray()) {
                if (arg.isJsonPrimitive() && arg.getAsString().contains(KernelspecFiles.JAR)) return true;
            }
            return false;
        } catch (IOException | JsonParseException | IllegalStateException | UnsupportedOperationException e) {
            return false;
        }
    }
}
