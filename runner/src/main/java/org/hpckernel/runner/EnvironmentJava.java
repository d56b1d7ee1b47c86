package org.hpckernel.runner;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Puts the JVM that runs the cell into the job's environment record ({@code environment[.I].json},
 * written by job.sh before the payload, with the java command it starts): its version, as
 * {@code java -version} prints it, its vendor and its home. The runner is that JVM, so job.sh need
 * not start a second one just to ask (a JVM start on every Java job). The record is rewritten under
 * another name and renamed into place, so a reader sees the old record or the new one, whole.
 */
final class EnvironmentJava {
    private EnvironmentJava() {}

    /** Adds this JVM to the record; a job without a record (an older kernel's job.sh) is left as it is. */
    static void record(Path jobDir, Integer arrayIndex, PrintStream log) {
        Path file = jobDir.resolve(JobLayout.environment(arrayIndex));
        Path temporary = file.resolveSibling("." + file.getFileName() + ".java-" + ProcessHandle.current().pid());
        try {
            JsonElement parsed = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
            if (!parsed.isJsonObject()) return;
            JsonObject record = parsed.getAsJsonObject();
            JsonObject java = record.has("java") && record.get("java").isJsonObject() ? record.getAsJsonObject("java") : new JsonObject();
            java.addProperty("version", versionText());
            java.addProperty("vendor", System.getProperty("java.vendor", ""));
            java.addProperty("home", System.getProperty("java.home", ""));
            record.add("java", java);
            Files.writeString(temporary, new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(record) + "\n",
                    StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (NoSuchFileException e) {
            // no record to complete
        } catch (IOException | JsonParseException | IllegalStateException e) {
            // The record is for the user's eyes; the cell runs whether or not it can be completed.
            log.println("hpc-runner: the environment record " + file + " was not completed with this JVM: " + e);
        } finally {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException e) {
                // nothing left to do about it
            }
        }
    }

    /**
     * What {@code java -version} prints for this JVM, from its own properties, in the launcher's
     * format: the platform version (with its date, and LTS where the build says so), the runtime,
     * the VM.
     */
    static String versionText() {
        String runtimeName = System.getProperty("java.runtime.name", "");
        String runtimeVersion = System.getProperty("java.runtime.version", "");
        String date = System.getProperty("java.version.date", "");
        String vendorVersion = System.getProperty("java.vendor.version");
        String vendor = vendorVersion == null || vendorVersion.isEmpty() ? "" : " " + vendorVersion;
        String debug = System.getProperty("jdk.debug", "release");
        String level = debug.equals("release") ? "" : debug + " ";
        String launcher = runtimeName.startsWith("OpenJDK") ? "openjdk" : "java";
        boolean lts = runtimeVersion.contains("-LTS");
        return launcher + " version \"" + System.getProperty("java.version") + "\"" + (date.isEmpty() ? "" : " " + date)
                + (lts ? " LTS" : "") + "\n"
                + runtimeName + vendor + " (" + level + "build " + runtimeVersion + ")\n"
                + System.getProperty("java.vm.name") + vendor + " (" + level + "build " + System.getProperty("java.vm.version")
                + ", " + System.getProperty("java.vm.info") + ")";
    }
}
