package org.hpckernel.hpc.environment;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The software environment a job asks for, besides its modules (which {@code JobSpec} carries):
 * how {@code module} is initialised on the node, a container to run the payload in, or a Guix
 * manifest. Every value here has been validated (see {@code OptionValues}); paths may start with
 * {@code ~/}, which the node expands ({@link NodePath}).
 *
 * @param moduleInit the site's init script for {@code module}; null: probe the usual places
 */
public record JobEnvironment(String moduleInit, Container container, Guix guix) {
    public static final JobEnvironment NONE = new JobEnvironment(null, null, null);

    /**
     * @param java the java command inside the image for Java cells ("java": the image's own)
     * @param binds extra SRC or SRC:DST binds; the work directory (and the job directory in it) are always bound
     */
    public record Container(ContainerRuntime runtime, String image, List<String> binds, boolean nv, String java) {
        public Container {
            Objects.requireNonNull(runtime, "runtime");
            Objects.requireNonNull(image, "image");
            binds = List.copyOf(binds);
            java = java == null ? "java" : java;
        }
    }

    /** @param channels a channels.scm to pin the packages with {@code guix time-machine}; null: the node's Guix */
    public record Guix(String manifest, String channels) {
        public Guix {
            Objects.requireNonNull(manifest, "manifest");
        }
    }

    public boolean wrapsPayload() {
        return container != null || guix != null;
    }

    /** What was asked, for the job's manifest (what the node really ran in goes to environment.json). */
    public Map<String, Object> asked(List<String> modules) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("modules", modules);
        if (moduleInit != null) m.put("moduleInit", moduleInit);
        if (container != null) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("runtime", container.runtime().key());
            c.put("image", container.image());
            c.put("binds", container.binds());
            c.put("nv", container.nv());
            c.put("java", container.java());
            m.put("container", c);
        }
        if (guix != null) {
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("manifest", guix.manifest());
            if (guix.channels() != null) g.put("channels", guix.channels());
            m.put("guix", g);
        }
        return m;
    }
}
