package org.hpckernel.hpc.config;

import java.util.ArrayList;
import java.util.List;
import org.hpckernel.hpc.environment.ContainerRuntime;
import org.hpckernel.hpc.environment.ProfileEnvironment;
import org.hpckernel.hpc.options.BadValueException;
import org.hpckernel.hpc.options.HpcOption;
import org.hpckernel.hpc.options.OptionValues;

/**
 * A cluster's environment keys: "modules", "moduleInit", "container", "containerRuntime",
 * "containerJava" and "binds". Each value is checked as the matching %%hpc option's value is, so a
 * profile cannot put shell text where a cell could not.
 */
final class EnvironmentProfileReader {
    static final List<String> KEYS = List.of("modules", "moduleInit", "container", "containerRuntime", "containerJava", "binds");

    private EnvironmentProfileReader() {}

    static ProfileEnvironment read(ConfigObject fields) throws ConfigException {
        List<String> modules = checkedList(fields, "modules", HpcOption.MODULE, "a list of modules, e.g. [\"java/17\", \"gcc/12\"]");
        if (modules != null && fields.get("defaults") instanceof JsonNode.Obj d && d.members().containsKey("module")) {
            throw fields.problem("modules", fields.get("modules").line(), "is set and so is \"defaults.module\": give the modules once, in \"modules\"");
        }
        String init = checked(fields, "moduleInit", HpcOption.GUIX,
                "the script that initialises module in your site's shells, e.g. \"/etc/profile.d/lmod.sh\" (absolute or from ~/)");
        String container = checked(fields, "container", HpcOption.CONTAINER,
                "the image every job runs in unless its cell says --container: a path on the cluster or a URI such as docker://debian:12");
        String runtimeName = fields.string("containerRuntime", "one of " + String.join(", ", ContainerRuntime.keys()));
        ContainerRuntime runtime = null;
        if (runtimeName != null) {
            runtime = ContainerRuntime.byKey(runtimeName).orElseThrow(() -> fields.mustBe("containerRuntime",
                    fields.get("containerRuntime"), "one of " + String.join(", ", ContainerRuntime.keys())
                            + " (apptainer when not set)"));
        }
        String java = fields.string("containerJava", "the java command inside the images, a name on their PATH or an absolute path");
        if (java != null && !java.matches("[A-Za-z0-9_.+-]{1,64}|/[A-Za-z0-9_.+@=/-]{1,1023}")) {
            throw fields.mustBe("containerJava", fields.get("containerJava"),
                    "a command name (letters, digits, _ . + -) or an absolute path inside the image, e.g. \"/opt/jdk/bin/java\"");
        }
        List<String> binds = checkedList(fields, "binds", HpcOption.BIND, "a list of paths bound into every container, e.g. [\"/scratch\"]");
        return new ProfileEnvironment(modules, init, container, runtime, java, binds);
    }

    private static String checked(ConfigObject fields, String key, HpcOption option, String expected) throws ConfigException {
        String value = fields.string(key, expected);
        if (value == null) return null;
        try {
            OptionValues.check(option, value);
        } catch (BadValueException e) {
            throw fields.mustBe(key, fields.get(key), expected);
        }
        return value;
    }

    private static List<String> checkedList(ConfigObject fields, String key, HpcOption option, String expected) throws ConfigException {
        List<String> values = fields.strings(key, expected);
        if (values == null) return null;
        List<String> checked = new ArrayList<>();
        for (String v : values) {
            try {
                OptionValues.check(option, v);
            } catch (BadValueException e) {
                throw fields.problem(key, fields.get(key).line(), e.getMessage());
            }
            checked.add(v);
        }
        return checked;
    }
}
