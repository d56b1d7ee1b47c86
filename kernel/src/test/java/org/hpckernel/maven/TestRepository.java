package org.hpckernel.maven;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/** A Maven repository in a directory, as a test writes it: POMs with dependencies, and jars that name themselves. */
final class TestRepository {
    final Path root;

    TestRepository(Path root) {
        this.root = root;
    }

    String url() {
        return root.toUri().toString();
    }

    /** {@code deps}: "group:artifact:version" or "group:artifact:version:scope". */
    TestRepository publish(String coordinate, String... deps) throws IOException {
        String[] c = coordinate.split(":");
        Path dir = Files.createDirectories(root.resolve(c[0].replace('.', '/')).resolve(c[1]).resolve(c[2]));
        StringBuilder pom = new StringBuilder("<project><modelVersion>4.0.0</modelVersion><groupId>" + c[0] + "</groupId><artifactId>"
                + c[1] + "</artifactId><version>" + c[2] + "</version><dependencies>");
        for (String dep : deps) {
            String[] d = dep.split(":");
            pom.append("<dependency><groupId>").append(d[0]).append("</groupId><artifactId>").append(d[1])
                    .append("</artifactId><version>").append(d[2]).append("</version>")
                    .append(d.length > 3 ? "<scope>" + d[3] + "</scope>" : "").append("</dependency>");
        }
        pom.append("</dependencies></project>\n");
        String base = c[1] + "-" + c[2];
        Files.writeString(dir.resolve(base + ".pom"), pom);
        try (OutputStream out = Files.newOutputStream(dir.resolve(base + ".jar")); JarOutputStream jar = new JarOutputStream(out)) {
            jar.putNextEntry(new JarEntry("which.txt"));
            jar.write(coordinate.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        return this;
    }

    /** A settings.xml with this local repository and a mirror of {@code mirrorOf} serving {@code mirror}. */
    static Path settings(Path dir, Path localRepository, String mirrorOf, TestRepository mirror) throws IOException {
        Files.createDirectories(dir);
        String mirrors = mirror == null ? "" : "<mirrors><mirror><id>test-mirror</id><url>" + mirror.url() + "</url><mirrorOf>" + mirrorOf
                + "</mirrorOf></mirror></mirrors>";
        return Files.writeString(dir.resolve("settings.xml"), "<settings><localRepository>" + localRepository + "</localRepository>"
                + mirrors + "</settings>\n");
    }
}
