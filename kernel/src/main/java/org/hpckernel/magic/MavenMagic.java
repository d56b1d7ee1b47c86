package org.hpckernel.magic;

import java.util.ArrayList;
import java.util.List;
import org.hpckernel.display.MimeBundle;
import org.hpckernel.maven.MavenCoordinate;
import org.hpckernel.maven.MavenDependencies;
import org.hpckernel.maven.MavenResolver.ResolvedJar;
import org.hpckernel.maven.ResolutionException;

/**
 * {@code %maven group:artifact:version…}: resolves the artifacts with their runtime dependencies
 * (Maven Resolver, the user's settings.xml and local repository) and adds the jars to the session,
 * so completion and inspect see them at once; %%hpc Java cells ship them like %jars.
 */
final class MavenMagic implements LineMagic {
    private final MavenDependencies dependencies;

    MavenMagic(MavenDependencies dependencies) {
        this.dependencies = dependencies;
    }

    @Override
    public String name() {
        return "maven";
    }

    @Override
    public String summary() {
        return "add Maven artifacts and their runtime dependencies: %maven org.apache.commons:commons-text:1.12.0";
    }

    @Override
    public MimeBundle run(List<String> args, MagicContext context) throws MagicException {
        if (args.isEmpty()) {
            List<String> lines = new ArrayList<>();
            for (ResolvedJar jar : dependencies.jars()) lines.add(jar.coordinate() + "  " + jar.file());
            return MimeBundle.text(lines.isEmpty() ? "no Maven artifacts in this session yet" : String.join("\n", lines));
        }
        List<MavenCoordinate> wanted = new ArrayList<>();
        try {
            for (String arg : args) wanted.add(MavenCoordinate.parse(arg));
            context.onInterrupt(dependencies::interrupt);
            List<ResolvedJar> added = dependencies.add(wanted, jar -> context.evaluator().addToClasspath(jar.toString()),
                    message -> context.output().stream("stdout", message + "\n"));
            StringBuilder out = new StringBuilder("added to the class path: " + added.size() + " jar(s)");
            for (ResolvedJar jar : added) out.append("\n  ").append(jar.coordinate());
            // Maven keeps one version per library: one asked for here may lose to an earlier or nearer one.
            for (MavenCoordinate c : wanted) {
                dependencies.loaded(c).filter(jar -> !jar.coordinate().version().equals(c.version())).ifPresent(jar -> out.append(
                        "\nnote: " + c + " was asked for, but the session uses " + jar.coordinate() + " (declared earlier or nearer,"
                        + " as Maven settles conflicts; restart the kernel to choose again)"));
            }
            context.output().stream("stdout", out + "\n");
            return null;
        } catch (ResolutionException e) {
            throw new MagicException("MavenResolutionError", "%maven: " + e.getMessage(), List.of());
        }
    }
}
