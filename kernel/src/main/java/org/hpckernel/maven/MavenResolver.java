package org.hpckernel.maven;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.eclipse.aether.RepositoryException;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactDescriptorException;
import org.eclipse.aether.resolution.ArtifactResolutionException;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.resolution.DependencyResult;
import org.eclipse.aether.resolution.ResolutionErrorPolicy;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.supplier.SessionBuilderSupplier;
import org.eclipse.aether.transfer.AbstractTransferListener;
import org.eclipse.aether.transfer.TransferCancelledException;
import org.eclipse.aether.transfer.TransferEvent;
import org.eclipse.aether.util.filter.DependencyFilterUtils;
import org.eclipse.aether.util.repository.SimpleResolutionErrorPolicy;

/**
 * Resolves artifacts with their runtime dependencies the way Maven does (Maven Resolver with
 * Maven's own session defaults: nearest wins, then first declared), all roots in one graph, so
 * that one version of each library comes out.
 */
public final class MavenResolver {
    private static final String RUNTIME = "runtime";
    private static volatile RepositorySystem system;

    /** A resolved jar: its coordinate as resolved (the version that won) and the file in the local repository. */
    public record ResolvedJar(MavenCoordinate coordinate, Path file) {}

    private final MavenSettings settings;
    private final Consumer<String> progress;

    public MavenResolver(MavenSettings settings) {
        this(settings, message -> {});
    }

    /** @param progress told of each file downloaded, so that a long first resolution shows what it does */
    public MavenResolver(MavenSettings settings, Consumer<String> progress) {
        this.settings = settings;
        this.progress = progress;
    }

    public List<ResolvedJar> resolve(List<MavenCoordinate> roots, List<MavenRepository> extra) throws ResolutionException {
        return resolve(roots, extra, new ResolutionInterrupt());
    }

    /** The same, stopped by {@code interrupt} (from another thread); an interrupted resolution adds nothing. */
    List<ResolvedJar> resolve(List<MavenCoordinate> roots, List<MavenRepository> extra, ResolutionInterrupt interrupt)
            throws ResolutionException {
        try {
            return resolveWith(roots, extra, interrupt);
        } finally {
            interrupt.release();
        }
    }

    private List<ResolvedJar> resolveWith(List<MavenCoordinate> roots, List<MavenRepository> extra, ResolutionInterrupt interrupt)
            throws ResolutionException {
        for (String warning : settings.warnings()) progress.accept("warning: " + warning);
        RepositorySystem repositories = system();
        RepositorySystemSession.SessionBuilder builder = new SessionBuilderSupplier(repositories).get()
                .withLocalRepositoryBaseDirectories(settings.localRepository())
                .setSystemProperties(System.getProperties())
                // A repository fixed after a failure must be asked again at once, not after a day.
                .setResolutionErrorPolicy(new SimpleResolutionErrorPolicy(ResolutionErrorPolicy.CACHE_DISABLED));
        settings.applyTo(builder);
        builder.setCache(interrupt.cache());
        builder.setTransferListener(new AbstractTransferListener() {
            @Override
            public void transferInitiated(TransferEvent event) throws TransferCancelledException {
                interrupt.checkNotInterrupted();
            }

            @Override
            public void transferProgressed(TransferEvent event) throws TransferCancelledException {
                interrupt.checkNotInterrupted();
            }

            @Override
            public void transferStarted(TransferEvent event) throws TransferCancelledException {
                interrupt.checkNotInterrupted();
                if (isJarGet(event)) progress.accept("downloading " + fileName(event) + " from " + event.getResource().getRepositoryUrl() + " …");
            }

            @Override
            public void transferSucceeded(TransferEvent event) {
                if (!isJarGet(event)) return;
                progress.accept("downloaded " + fileName(event) + " ("
                        + (event.getTransferredBytes() + 1023) / 1024 + " KB) from " + event.getResource().getRepositoryUrl());
            }
        });
        try (RepositorySystemSession.CloseableSession session = builder.build()) {
            List<RemoteRepository> remotes = repositories.newResolutionRepositories(session, declared(extra));
            CollectRequest collect = new CollectRequest();
            for (MavenCoordinate c : roots) {
                collect.addDependency(new Dependency(new DefaultArtifact(c.groupId(), c.artifactId(), c.classifier(),
                        c.extension(), c.version()), RUNTIME));
            }
            collect.setRepositories(remotes);
            DependencyRequest request = new DependencyRequest(collect, DependencyFilterUtils.classpathFilter(RUNTIME));
            try {
                DependencyResult result = repositories.resolveDependencies(session, request);
                List<ResolvedJar> jars = new ArrayList<>();
                for (ArtifactResult r : result.getArtifactResults()) {
                    Artifact a = r.getArtifact();
                    jars.add(new ResolvedJar(new MavenCoordinate(a.getGroupId(), a.getArtifactId(), a.getExtension(),
                            a.getClassifier(), a.getVersion()), a.getPath()));
                }
                return jars;
            } catch (DependencyResolutionException e) {
                if (interrupt.interrupted()) throw ResolutionException.interrupted(roots);
                throw new ResolutionException(failure(roots, e) + " Repositories tried: " + tried(remotes)
                        + (session.isOffline() ? " (offline: settings.xml says <offline>true</offline>, so only the local repository "
                                + settings.localRepository() + " was read)" : "") + "."
                        + settings.warnings().stream().map(w -> " Note: " + w + ".").reduce("", String::concat), e);
            }
        }
    }

    private static boolean isJarGet(TransferEvent event) {
        return event.getRequestType() == TransferEvent.RequestType.GET && event.getResource().getResourceName().endsWith(".jar");
    }

    private static String fileName(TransferEvent event) {
        String name = event.getResource().getResourceName();
        return name.substring(name.lastIndexOf('/') + 1);
    }

    private static List<RemoteRepository> declared(List<MavenRepository> extra) {
        List<RemoteRepository> list = new ArrayList<>();
        for (MavenRepository r : extra) list.add(new RemoteRepository.Builder(r.id(), "default", r.url()).build());
        if (extra.stream().noneMatch(r -> r.id().equals(MavenRepository.CENTRAL.id()))) {
            list.add(new RemoteRepository.Builder(MavenRepository.CENTRAL.id(), "default", MavenRepository.CENTRAL.url()).build());
        }
        return list;
    }

    /** The artifacts that could not be had, each named with the resolver's reason. */
    private static String failure(List<MavenCoordinate> roots, DependencyResolutionException e) {
        Set<String> reasons = new LinkedHashSet<>();
        DependencyResult result = e.getResult();
        if (result != null) {
            for (Exception c : result.getCollectExceptions()) reasons.add(reason(c));
            for (ArtifactResult r : result.getArtifactResults()) {
                if (!r.isResolved()) {
                    for (Exception x : r.getExceptions()) reasons.add(x.getMessage());
                }
            }
        }
        if (reasons.isEmpty()) reasons.add(reason(e));
        return String.join("; ", reasons) + " (while resolving " + roots.stream().map(MavenCoordinate::toString).toList()
                + "; nothing was added to the class path).";
    }

    /** The innermost resolver message: it names the missing artifact and the repository. */
    private static String reason(Throwable t) {
        Throwable deepest = t;
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ArtifactResolutionException || c instanceof ArtifactDescriptorException
                    || c instanceof RepositoryException) deepest = c;
        }
        String message = deepest.getMessage();
        return message != null ? message : deepest.toString();
    }

    private static String tried(List<RemoteRepository> remotes) {
        List<String> names = new ArrayList<>();
        for (RemoteRepository r : remotes) {
            String mirrored = r.getMirroredRepositories().isEmpty() ? ""
                    : ", mirror of " + r.getMirroredRepositories().stream().map(RemoteRepository::getId).toList();
            names.add(r.getId() + " (" + r.getUrl() + mirrored + ")");
        }
        return String.join(", ", names);
    }

    private static RepositorySystem system() {
        RepositorySystem s = system;
        if (s == null) {
            synchronized (MavenResolver.class) {
                if (system == null) system = new RepositorySystemSupplier().get();
                s = system;
            }
        }
        return s;
    }
}
