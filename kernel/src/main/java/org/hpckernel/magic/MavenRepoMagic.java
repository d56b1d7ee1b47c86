package org.hpckernel.magic;

import java.util.List;
import org.hpckernel.display.MimeBundle;
import org.hpckernel.maven.MavenDependencies;
import org.hpckernel.maven.MavenRepository;
import org.hpckernel.maven.ResolutionException;

/** {@code %mavenRepo ID URL}: a repository for the next {@code %maven}, after the session's earlier ones and before Maven Central. */
final class MavenRepoMagic implements LineMagic {
    private final MavenDependencies dependencies;

    MavenRepoMagic(MavenDependencies dependencies) {
        this.dependencies = dependencies;
    }

    @Override
    public String name() {
        return "mavenRepo";
    }

    @Override
    public String summary() {
        return "add a Maven repository for %maven: %mavenRepo ID URL";
    }

    @Override
    public MimeBundle run(List<String> args, MagicContext context) throws MagicException {
        if (args.isEmpty()) {
            List<String> lines = dependencies.repositories().stream().map(MavenRepository::toString).toList();
            return MimeBundle.text((lines.isEmpty() ? "" : String.join("\n", lines) + "\n") + MavenRepository.CENTRAL);
        }
        if (args.size() != 2) throw MagicException.usage("%mavenRepo takes an id and a URL: %mavenRepo ID URL");
        try {
            MavenRepository repository = MavenRepository.of(args.get(0), args.get(1));
            dependencies.addRepository(repository);
            context.output().stream("stdout", "repository added: " + repository + "\n");
            return null;
        } catch (ResolutionException e) {
            throw MagicException.usage("%mavenRepo: " + e.getMessage());
        }
    }
}
