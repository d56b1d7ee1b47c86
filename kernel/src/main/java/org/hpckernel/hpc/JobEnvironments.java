package org.hpckernel.hpc;

import java.util.ArrayList;
import java.util.List;
import org.hpckernel.hpc.config.ClusterProfile;
import org.hpckernel.hpc.environment.ContainerRuntime;
import org.hpckernel.hpc.environment.EnvironmentScript;
import org.hpckernel.hpc.environment.JobEnvironment;
import org.hpckernel.hpc.environment.ProfileEnvironment;
import org.hpckernel.hpc.options.BadValueException;
import org.hpckernel.hpc.options.HpcArguments;
import org.hpckernel.hpc.options.HpcOption;
import org.hpckernel.hpc.options.OptionException;
import org.hpckernel.hpc.options.OptionValues;
import org.hpckernel.hpc.options.Quoting;

/**
 * A cell's container and Guix options plus its cluster's environment keys, as one
 * {@link JobEnvironment}. The cell's --container replaces the profile's "container"; its --bind
 * paths add to the profile's "binds". Combinations that cannot run are refused here, before
 * anything is written, with what to change.
 */
final class JobEnvironments {
    private JobEnvironments() {}

    static JobEnvironment build(HpcArguments args, ClusterProfile profile) throws OptionException {
        ProfileEnvironment p = profile.environment();
        String image = args.value(HpcOption.CONTAINER).orElse(p.container());
        List<String> binds = new ArrayList<>(p.binds());
        binds.addAll(args.list(HpcOption.BIND));
        String manifest = args.value(HpcOption.GUIX).orElse(null);
        String channels = args.value(HpcOption.CHANNELS).orElse(null);
        for (String b : binds) check(HpcOption.BIND, b);
        if (image != null) check(HpcOption.CONTAINER, image);
        if (manifest != null) check(HpcOption.GUIX, manifest);
        if (channels != null) check(HpcOption.CHANNELS, channels);

        if (channels != null && manifest == null) {
            throw new OptionException("--channels pins the packages of a Guix manifest: give --guix MANIFEST with it");
        }
        if (image == null) {
            if (!args.list(HpcOption.BIND).isEmpty()) {
                throw new OptionException("--bind applies to a container: give --container IMAGE (or set the cluster's \"container\")");
            }
            if (args.has(HpcOption.NV)) {
                throw new OptionException("--nv applies to a container: give --container IMAGE (or set the cluster's \"container\")");
            }
        } else if (manifest != null) {
            throw new OptionException("--guix and a container (" + (args.value(HpcOption.CONTAINER).isPresent() ? "--container"
                    : "the cluster's \"container\"") + ") both wrap the payload: choose one");
        }
        JobEnvironment.Container container = null;
        if (image != null) {
            ContainerRuntime runtime = p.runtime();
            if (runtime == ContainerRuntime.CHARLIECLOUD) {
                if (args.has(HpcOption.NV)) {
                    throw new OptionException("--nv: cluster " + Quoting.quote(profile.name()) + " runs containers with Charliecloud,"
                            + " which has no --nv (its images get the GPU libraries with ch-fromhost --nvidia): leave --nv out");
                }
                if (EnvironmentScript.isUri(image)) {
                    throw new OptionException("--container " + image + ": cluster " + Quoting.quote(profile.name())
                            + " runs containers with Charliecloud, which runs a directory or SquashFS image on the cluster, not a URI:"
                            + " give the image's path");
                }
            }
            container = new JobEnvironment.Container(runtime, image, binds, args.has(HpcOption.NV), p.containerJava());
        }
        JobEnvironment.Guix guix = manifest == null ? null : new JobEnvironment.Guix(manifest, channels);
        return new JobEnvironment(p.moduleInit(), container, guix);
    }

    /** Checked again, as JobSpecs does: a profile or arguments can be built by any code, and these values reach job.sh. */
    private static void check(HpcOption option, String value) throws OptionException {
        try {
            OptionValues.check(option, value);
        } catch (BadValueException e) {
            throw new OptionException(option.longName() + ": " + e.getMessage());
        }
    }
}
