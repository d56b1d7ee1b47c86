package org.hpckernel.export;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The jars of {@code %maven GROUP:ARTIFACT:VERSION} lines in the local repository (~/.m2), so the
 * export can translate and check cells that use them; Maven itself fetches them for the build.
 * Transitive dependencies are not looked up: a cell that needs them compiles once Maven has them.
 */
final class LocalMaven {
    private LocalMaven() {}

    static List<String> jars(List<String> coordinates) {
        Path repository = Path.of(System.getProperty("user.home"), ".m2", "repository");
        List<String> jars = new ArrayList<>();
        for (String c : coordinates) {
            String[] parts = c.split(":");
            if (parts.length != 3) continue;
            Path jar = repository.resolve(parts[0].replace('.', '/')).resolve(parts[1]).resolve(parts[2])
                    .resolve(parts[1] + "-" + parts[2] + ".jar");
            if (Files.isRegularFile(jar)) jars.add(jar.toString());
        }
        return jars;
    }
}
