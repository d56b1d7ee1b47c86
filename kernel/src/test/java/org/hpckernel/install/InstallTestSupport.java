package org.hpckernel.install;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Runs the commands against a private data dir and captures what they print. */
final class InstallTestSupport {
    record Result(int exit, String out, String err) {}

    private InstallTestSupport() {}

    /** Linux, user data in {@code root/data}, no Python. */
    static InstallEnvironment environment(Path root) {
        return new InstallEnvironment(Map.of("JUPYTER_DATA_DIR", root.resolve("data").toString()),
                root.resolve("home"), "Linux", Optional::empty);
    }

    static Path fakeJar(Path root, String content) throws IOException {
        Path jar = root.resolve("build").resolve("hpc-kernel-0.1.0.jar");
        Files.createDirectories(jar.getParent());
        Files.writeString(jar, content);
        return jar;
    }

    static Result install(InstallEnvironment environment, Path jar, String... args) {
        return install(environment, jar, new CdsArchive(CdsArchive.DEFAULT_TIMEOUT), args);
    }

    static Result install(InstallEnvironment environment, Path jar, CdsArchive cds, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = InstallCommand.run(List.of(args), print(out), print(err), environment, Optional.ofNullable(jar), cds);
        return new Result(exit, text(out), text(err));
    }

    static Result uninstall(InstallEnvironment environment, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = UninstallCommand.run(List.of(args), print(out), print(err), environment);
        return new Result(exit, text(out), text(err));
    }

    static JsonObject kernelJson(Path kernelspecDir) throws IOException {
        return JsonParser.parseString(Files.readString(kernelspecDir.resolve("kernel.json"))).getAsJsonObject();
    }

    static List<String> argv(Path kernelspecDir) throws IOException {
        JsonArray array = kernelJson(kernelspecDir).getAsJsonArray("argv");
        List<String> argv = new ArrayList<>();
        array.forEach(e -> argv.add(e.getAsString()));
        return argv;
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    private static String text(ByteArrayOutputStream bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
