package org.hpckernel.maven;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hpckernel.maven.MavenResolver.ResolvedJar;

/**
 * A session's Maven dependencies: every {@code %maven} coordinate so far and every
 * {@code %mavenRepo}. Each {@code %maven} resolves all coordinates together, as one project's
 * dependencies, so conflicts are settled as Maven would. A class path only grows: when the new
 * resolution wants another version of a jar already loaded, nothing is added and the error says so.
 */
public final class MavenDependencies {
    /** Where settings come from: read again for each resolution, so an edited settings.xml applies. */
    @FunctionalInterface
    public interface SettingsSource {
        MavenSettings load() throws ResolutionException;
    }

    /** Receives each new jar, in class-path order. */
    @FunctionalInterface
    public interface ClasspathSink {
        void add(Path jar);
    }

    private final SettingsSource settings;
    private final List<MavenCoordinate> coordinates = new ArrayList<>();
    private final List<MavenRepository> repositories = new ArrayList<>();
    private final Map<String, ResolvedJar> loaded = new LinkedHashMap<>();
    /** How long an interrupted cell waits for the resolver to stop before it returns anyway. */
    private static final Duration CLEANUP_WAIT = Duration.ofMillis(1000);
    private volatile ResolutionInterrupt running;

    public MavenDependencies(SettingsSource settings) {
        this.settings = settings;
    }

    /** Resolves the session's coordinates with {@code more}; returns the jars handed to {@code sink} (only new ones). */
    public synchronized List<ResolvedJar> add(List<MavenCoordinate> more, ClasspathSink sink) throws ResolutionException {
        return add(more, sink, message -> {});
    }

    /** The same, telling {@code progress} of each download. */
    public synchronized List<ResolvedJar> add(List<MavenCoordinate> more, ClasspathSink sink, java.util.function.Consumer<String> progress)
            throws ResolutionException {
        List<MavenCoordinate> all = new ArrayList<>(coordinates);
        for (MavenCoordinate c : more) {
            if (!all.contains(c)) all.add(c);
        }
        List<ResolvedJar> jars = resolveInterruptibly(new MavenResolver(settings.load(), progress), all);
        List<ResolvedJar> fresh = new ArrayList<>();
        for (ResolvedJar jar : jars) {
            ResolvedJar before = loaded.get(jar.coordinate().versionlessKey());
            if (before == null) {
                fresh.add(jar);
            } else if (!before.coordinate().version().equals(jar.coordinate().version())) {
                throw new ResolutionException("with " + more + ", Maven would take " + jar.coordinate() + ", but "
                        + before.coordinate() + " is already on this session's class path and a loaded jar cannot be"
                        + " swapped: nothing was added. Restart the kernel and put every coordinate in one %maven line"
                        + " (or ask for " + before.coordinate().version() + " explicitly).");
            }
        }
        for (ResolvedJar jar : fresh) sink.add(jar.file());
        coordinates.clear();
        coordinates.addAll(all);
        for (ResolvedJar jar : fresh) loaded.put(jar.coordinate().versionlessKey(), jar);
        return fresh;
    }

    /**
     * Stops the resolution under way, if any (a Jupyter interrupt, on the control thread): the
     * {@code add} that runs it returns at once with an "interrupted" error and adds nothing.
     */
    public void interrupt() {
        ResolutionInterrupt r = running;
        if (r != null) r.interrupt();
    }

    /**
     * Resolves on a thread of its own, so that the cell's thread can return on an interrupt even
     * while the resolver is blocked on a stalled server. It waits a moment for the resolver to clean
     * up (delete its partial file) before it returns.
     */
    private List<ResolvedJar> resolveInterruptibly(MavenResolver resolver, List<MavenCoordinate> all) throws ResolutionException {
        ResolutionInterrupt interrupt = new ResolutionInterrupt();
        CompletableFuture<List<ResolvedJar>> result = new CompletableFuture<>();
        List<MavenRepository> repos = List.copyOf(repositories);
        Thread worker = new Thread(() -> {
            try {
                result.complete(resolver.resolve(all, repos, interrupt));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }, "maven-resolution");
        worker.setDaemon(true);
        interrupt.runsOn(worker);
        running = interrupt;
        try {
            worker.start();
            CompletableFuture.anyOf(result, interrupt.signalled()).get();
            if (interrupt.interrupted()) {
                try {
                    result.get(CLEANUP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    // Interrupted either way: whatever the resolver did last is not used.
                }
                throw ResolutionException.interrupted(all);
            }
            return result.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ResolutionException r) throw r;
            throw new ResolutionException("%maven failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            interrupt.interrupt();
            Thread.currentThread().interrupt();
            throw ResolutionException.interrupted(all);
        } finally {
            running = null;
        }
    }

    public synchronized void addRepository(MavenRepository repository) {
        repositories.removeIf(r -> r.id().equals(repository.id()));
        repositories.add(repository);
    }

    public synchronized List<MavenRepository> repositories() {
        return List.copyOf(repositories);
    }

    public synchronized List<MavenCoordinate> coordinates() {
        return List.copyOf(coordinates);
    }

    /** The loaded jar of the same library as {@code c} (any version), if any. */
    public synchronized java.util.Optional<ResolvedJar> loaded(MavenCoordinate c) {
        return java.util.Optional.ofNullable(loaded.get(c.versionlessKey()));
    }

    public synchronized List<ResolvedJar> jars() {
        return List.copyOf(loaded.values());
    }
}
