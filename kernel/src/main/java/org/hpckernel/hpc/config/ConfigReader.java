package org.hpckernel.hpc.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hpckernel.hpc.options.OptionForms;
import org.hpckernel.hpc.options.Quoting;
import org.hpckernel.hpc.options.HpcOption;

/** The text of clusters.json to a {@link ClusterConfig}: the top level ("default", "clusters"). */
final class ConfigReader {
    static final String EXAMPLE = "{\"clusters\": {\"NAME\": {\"scheduler\": \"slurm\", \"workdir\": \"/scratch/me/hpc-kernel\"}}}";

    private ConfigReader() {}

    static ClusterConfig read(Path file, String text, ConfigLocations locations) throws ConfigException {
        String label = locations.shown(file);
        JsonNode root;
        try {
            root = JsoncParser.parse(text);
        } catch (JsoncParser.SyntaxError e) {
            throw new ConfigException(label + ", line " + e.line + ", column " + e.column + ": JSON syntax error: " + e.getMessage());
        }
        if (root == null) throw new ConfigException(label + ": the file is empty; expected an object like " + EXAMPLE);
        ConfigObject.Context context = new ConfigObject.Context(label, null);
        if (!(root instanceof JsonNode.Obj rootObject)) {
            throw context.error(root.line(), "expected an object like " + EXAMPLE + " (got " + root.shown() + ")");
        }
        ConfigObject top = new ConfigObject(rootObject, context, "");
        top.allowOnly(List.of("default", "clusters"));

        ConfigObject clusters = top.object("clusters", "an object of named clusters, like " + EXAMPLE);
        if (clusters == null || clusters.members().isEmpty()) {
            throw context.error(clusters == null ? top.line() : clusters.line(),
                    "\"clusters\" must define at least one cluster, like " + EXAMPLE);
        }
        List<ClusterProfile> profiles = new ArrayList<>();
        for (JsonNode.Member m : clusters.members()) {
            // The name is typed after --cluster and %hpc use, so it must pass the same check there.
            if (!HpcOption.CLUSTER.accepts(m.key())) {
                throw context.error(m.line(), "cluster name " + Quoting.quote(m.key()) + " cannot be used with --cluster; expected "
                        + OptionForms.expected(HpcOption.CLUSTER));
            }
            if (!(m.value() instanceof JsonNode.Obj profile)) {
                throw context.error(m.value().line(), "cluster " + Quoting.quote(m.key()) + " must be an object like {\"scheduler\": "
                        + "\"slurm\", \"workdir\": \"/scratch/me/hpc-kernel\"} (got " + m.value().shown() + ")");
            }
            profiles.add(ProfileReader.read(m.key(), profile, label, locations));
        }

        List<String> names = profiles.stream().map(ClusterProfile::name).toList();
        String defaultCluster = top.string("default", "the name of a cluster defined in \"clusters\" (" + String.join(", ", names) + ")");
        if (defaultCluster == null) {
            defaultCluster = names.get(0); // the only one, or the first in file order
        } else if (!names.contains(defaultCluster)) {
            throw top.mustBe("default", top.get("default"), "the name of a cluster defined in \"clusters\" (" + String.join(", ", names) + ")");
        }
        return new ClusterConfig(file, label, profiles, defaultCluster);
    }
}
