package org.hpckernel.hpc.environment;

import java.util.List;

/**
 * A cluster profile's environment keys: modules loaded by every job unless the cell gives its own
 * --module list, the init script of the site's module system, and the default container with the
 * runtime that runs it. All null or empty when not set.
 *
 * @param containerJava the java command inside images for Java cells; null: the image's "java"
 */
public record ProfileEnvironment(List<String> modules, String moduleInit, String container, ContainerRuntime containerRuntime,
        String containerJava, List<String> binds) {
    public static final ProfileEnvironment NONE = new ProfileEnvironment(List.of(), null, null, null, null, List.of());

    public ProfileEnvironment {
        modules = modules == null ? List.of() : List.copyOf(modules);
        binds = binds == null ? List.of() : List.copyOf(binds);
    }

    public ContainerRuntime runtime() {
        return containerRuntime == null ? ContainerRuntime.APPTAINER : containerRuntime;
    }
}
