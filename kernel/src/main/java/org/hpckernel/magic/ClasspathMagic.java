package org.hpckernel.magic;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hpckernel.display.MimeBundle;

/**
 * {@code %jars PATH…} (alias {@code %classpath}): adds jars or class directories to the session.
 * A file-name glob such as {@code lib/*.jar} is expanded here, without a shell. These paths are
 * also shipped with %%hpc Java cells.
 */
final class ClasspathMagic implements LineMagic {
    private final String name;

    ClasspathMagic(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String summary() {
        return "add jars or class directories to the session: %" + name + " lib/*.jar more.jar";
    }

    @Override
    public MimeBundle run(List<String> args, MagicContext context) throws MagicException, IOException {
        if (args.isEmpty()) {
            List<String> current = context.evaluator().classpath();
            return MimeBundle.text(current.isEmpty() ? "nothing added to the class path yet" : String.join("\n", current));
        }
        List<Path> paths = new ArrayList<>();
        for (String arg : args) paths.addAll(expand(arg));
        for (Path p : paths) context.evaluator().addToClasspath(p.toString());
        context.output().stream("stdout", "added to the class path: " + paths.size() + " path(s)\n");
        return null;
    }

    private List<Path> expand(String arg) throws MagicException, IOException {
        Path given = Path.of(arg.startsWith("~/") ? System.getProperty("user.home") + arg.substring(1) : arg);
        String file = given.getFileName() == null ? "" : given.getFileName().toString();
        if (file.contains("*") || file.contains("?")) {
            Path dir = given.toAbsolutePath().getParent();
            List<Path> found = new ArrayList<>();
            if (dir != null && Files.isDirectory(dir)) {
                try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, file)) {
                    stream.forEach(p -> found.add(p.toAbsolutePath().normalize()));
                }
            }
            if (found.isEmpty()) throw MagicException.usage("%" + name + ": nothing matches " + arg);
            found.sort(null);
            return found;
        }
        if (!Files.exists(given)) {
            throw MagicException.usage("%" + name + ": no such file or directory: " + arg
                    + " (relative paths start from " + Path.of("").toAbsolutePath() + ")");
        }
        return List.of(given.toAbsolutePath().normalize());
    }
}
