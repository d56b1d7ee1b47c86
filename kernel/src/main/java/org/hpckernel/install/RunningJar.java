package org.hpckernel.install;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Optional;

/** The jar this code was loaded from; the installer copies it into the kernelspec. */
public final class RunningJar {
    private RunningJar() {}

    /** Empty when running from a class directory (IDE, tests) rather than the shaded jar. */
    public static Optional<Path> locate() {
        try {
            CodeSource source = RunningJar.class.getProtectionDomain().getCodeSource();
            if (source == null || source.getLocation() == null) return Optional.empty();
            Path path = Path.of(source.getLocation().toURI());
            return Files.isRegularFile(path) ? Optional.of(path.toAbsolutePath().normalize()) : Optional.empty();
        } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
            return Optional.empty();
        }
    }
}
