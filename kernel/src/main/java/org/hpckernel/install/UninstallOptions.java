package org.hpckernel.install;

import java.util.List;

/** A parsed {@code uninstall} command line. */
public record UninstallOptions(Location location, String name) {

    public static final String USAGE = String.join("\n",
            "usage: java -jar hpc-kernel.jar uninstall [--user | --sys-prefix | --prefix DIR] [--name NAME]",
            "  removes a kernelspec written by `install` from the same location (default --user, name "
                    + KernelName.DEFAULT + ")");

    public static UninstallOptions parse(List<String> args) throws UsageException {
        Arguments in = new Arguments(args);
        String name = KernelName.DEFAULT;
        while (in.advance()) {
            if (in.takeLocation()) continue;
            if (in.flag().equals("--name")) {
                name = KernelName.validate(in.value());
            } else {
                throw new UsageException("unknown option '" + in.flag() + "'");
            }
        }
        return new UninstallOptions(in.location(), name);
    }
}
