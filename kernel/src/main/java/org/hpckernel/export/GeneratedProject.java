package org.hpckernel.export;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The exported project before it is written: text files by relative path, files copied as they are
 * ({@code lib/} jars), the executables among them, and the cells left out with the reason.
 */
public record GeneratedProject(SortedMap<String, String> files, Map<String, Path> copies, Set<String> executables,
        List<ExportStep.LeftOut> leftOut) {
    public GeneratedProject {
        files = new TreeMap<>(files);
    }

    /** Writes the project into {@code dir}; a non-empty {@code dir} is refused unless {@code force}. */
    public void write(Path dir, boolean force) throws ExportException {
        try {
            if (Files.isDirectory(dir) && !force) {
                try (Stream<Path> entries = Files.list(dir)) {
                    if (entries.findAny().isPresent()) {
                        throw new ExportException(dir + " is not empty: export into a new or empty directory, or add --force"
                                + " to write over the files there (other files are kept)");
                    }
                }
            } else if (Files.exists(dir) && !Files.isDirectory(dir)) {
                throw new ExportException(dir + " is a file, not a directory: name a directory to export into");
            }
            for (Map.Entry<String, String> f : files.entrySet()) {
                Path target = dir.resolve(f.getKey());
                Files.createDirectories(target.getParent());
                Files.writeString(target, f.getValue(), StandardCharsets.UTF_8);
                if (executables.contains(f.getKey())) Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            for (Map.Entry<String, Path> c : copies.entrySet()) {
                Path target = dir.resolve(c.getKey());
                Files.createDirectories(target.getParent());
                Files.copy(c.getValue(), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new ExportException("cannot write the project into " + dir + ": " + e.getMessage());
        }
    }
}
