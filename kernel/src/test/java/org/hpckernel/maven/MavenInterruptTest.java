package org.hpckernel.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An interrupt during a download from a repository that has stalled mid-body: the resolution ends
 * with an "interrupted" error, adds nothing, and leaves neither the jar nor a partial file in the
 * local repository (the stalled connection is closed under the resolver, which then cleans up).
 */
class MavenInterruptTest {
    @TempDir
    Path tmp;

    @Test
    void anInterruptDuringAStalledDownloadStopsItAndLeavesNoPartialFile() throws Exception {
        TestRepository repo = new TestRepository(tmp.resolve("remote"));
        repo.publish("org.example:slow:1.0");
        Path local = tmp.resolve("local-repo");
        Path file = TestRepository.settings(tmp.resolve("home/.m2"), local, "central",
                new TestRepository(Files.createDirectories(tmp.resolve("empty"))));
        MavenSettings settings = MavenSettings.load(Map.of(MavenSettings.SETTINGS_VARIABLE, file.toString()), tmp.resolve("home"));
        try (HttpRepository stalled = new HttpRepository(repo, ".jar")) {
            MavenDependencies session = new MavenDependencies(() -> settings);
            session.addRepository(MavenRepository.of("stalled", stalled.url()));
            CountDownLatch downloading = new CountDownLatch(1);
            List<Path> classpath = new ArrayList<>();
            CompletableFuture<Object> outcome = CompletableFuture.supplyAsync(() -> {
                try {
                    return session.add(List.of(MavenCoordinate.parse("org.example:slow:1.0")), classpath::add, message -> {
                        if (message.startsWith("downloading slow-1.0.jar")) downloading.countDown();
                    });
                } catch (ResolutionException e) {
                    return e;
                }
            });
            assertTrue(downloading.await(60, TimeUnit.SECONDS), "the jar's download never started");
            Path dir = local.resolve("org/example/slow/1.0");
            session.interrupt();
            Object result = outcome.get(60, TimeUnit.SECONDS);
            assertTrue(result instanceof ResolutionException, String.valueOf(result));
            String message = ((ResolutionException) result).getMessage();
            assertTrue(message.startsWith("interrupted while resolving [org.example:slow:1.0]"), message);
            assertTrue(message.contains("nothing was added"), message);
            assertEquals(List.of(), classpath);
            assertEquals(List.of(), session.jars());
            try (Stream<Path> files = Files.list(dir)) {
                List<String> left = files.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".pom") && !n.startsWith("_")
                        && !n.endsWith(".lastUpdated") && !n.endsWith(".sha1")).toList();
                assertEquals(List.of(), left, "a partial or whole jar was left in " + dir);
            }
        }
    }

    @Test
    void withoutAnInterruptTheSameResolutionCompletes() throws Exception {
        TestRepository repo = new TestRepository(tmp.resolve("remote"));
        repo.publish("org.example:slow:1.0");
        Path local = tmp.resolve("local-repo");
        Path file = TestRepository.settings(tmp.resolve("home/.m2"), local, "central",
                new TestRepository(Files.createDirectories(tmp.resolve("empty"))));
        MavenSettings settings = MavenSettings.load(Map.of(MavenSettings.SETTINGS_VARIABLE, file.toString()), tmp.resolve("home"));
        try (HttpRepository served = new HttpRepository(repo, null)) {
            MavenDependencies session = new MavenDependencies(() -> settings);
            session.addRepository(MavenRepository.of("served", served.url()));
            List<Path> classpath = new ArrayList<>();
            session.add(List.of(MavenCoordinate.parse("org.example:slow:1.0")), classpath::add);
            assertEquals(List.of(local.resolve("org/example/slow/1.0/slow-1.0.jar")), classpath);
        }
    }
}
