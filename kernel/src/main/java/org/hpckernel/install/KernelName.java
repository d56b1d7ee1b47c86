package org.hpckernel.install;

import java.util.Locale;
import java.util.regex.Pattern;

/** Kernel names as jupyter_client accepts them: ASCII letters, digits, '.', '_' and '-', stored lower-case. */
public final class KernelName {
    public static final String DEFAULT = "java-hpc";
    private static final Pattern VALID = Pattern.compile("[a-zA-Z0-9._-]+");

    private KernelName() {}

    /** Lower-cases like {@code jupyter kernelspec install} does, so both tools agree on the directory. */
    public static String validate(String name) throws UsageException {
        if (!VALID.matcher(name).matches()) {
            throw new UsageException("--name '" + name + "' is not a valid kernel name:"
                    + " use only ASCII letters, digits, '.', '_' and '-' (for example --name java-hpc-big)");
        }
        if (name.equals(".") || name.equals("..")) {
            throw new UsageException("--name '" + name + "' is not a valid kernel name: it would not be a directory of its own");
        }
        return name.toLowerCase(Locale.ROOT);
    }
}
