package org.hpckernel.runner;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.hpckernel.values.CellProgram;

/**
 * Builds what the kernel ships for a Java cell, as a test: a {@link CellProgram} class (and any
 * notebook classes) compiled with javac into {@code WORKDIR/classes/cell-SHA256.jar}, and the
 * job directory's {@code program.json} pointing at it.
 */
final class CompiledCells {
    static final String PACKAGE = "nb";
    static final String MAIN_CLASS = PACKAGE + ".Cell";

    private CompiledCells() {}

    /** The cell class, with {@code body} as the body of {@code run(io)}; it must return a value. */
    static String cell(String body) {
        return "package " + PACKAGE + ";\n"
                + "import java.util.*;\n"
                + "import org.hpckernel.values.*;\n"
                + "import static org.hpckernel.display.Display.*;\n"
                + "public class Cell implements CellProgram {\n"
                + "    @Override\n"
                + "    public Object run(CellIO io) throws Throwable {\n"
                + body.indent(8)
                + "    }\n"
                + "}\n";
    }

    /**
     * Compiles the sources (file name to source; the cell's is "Cell.java"), jars them into
     * {@code workdir/classes/} and writes {@code jobDir/program.json}.
     *
     * @return the jar
     */
    static Path ship(Path workdir, Path jobDir, Map<String, String> sources) throws IOException {
        Path src = Files.createTempDirectory(workdir, "src");
        Path out = Files.createTempDirectory(workdir, "out");
        List<String> arguments = new ArrayList<>(List.of("-d", out.toString(), "-classpath", location(CellProgram.class),
                "--release", "17", "-g"));
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = src.resolve(PACKAGE).resolve(source.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
            arguments.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int code = javac.run(null, errors, errors, arguments.toArray(String[]::new));
        if (code != 0) {
            throw new IllegalStateException("the test's cell does not compile:\n" + errors.toString(StandardCharsets.UTF_8));
        }
        ByteArrayOutputStream jarBytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(jarBytes); Stream<Path> files = Files.walk(out)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                jar.putNextEntry(new JarEntry(out.relativize(file).toString().replace(File.separatorChar, '/')));
                jar.write(Files.readAllBytes(file));
                jar.closeEntry();
            }
        }
        byte[] bytes = jarBytes.toByteArray();
        String sha256 = sha256(bytes);
        Path jar = workdir.resolve(JobLayout.CLASSES_DIR).resolve(JobLayout.cellJar(sha256));
        Files.createDirectories(jar.getParent());
        Files.write(jar, bytes);
        program(jobDir, MAIN_CLASS, jar, sha256);
        return jar;
    }

    static void program(Path jobDir, String mainClass, Path jar, String sha256) throws IOException {
        Files.writeString(jobDir.resolve(JobLayout.PROGRAM), "{\"mainClass\": " + JsonWriter.write(mainClass)
                + ", \"jar\": " + JsonWriter.write(jar.toAbsolutePath().toString()) + ", \"jarSha256\": "
                + JsonWriter.write(sha256) + "}");
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }
}
