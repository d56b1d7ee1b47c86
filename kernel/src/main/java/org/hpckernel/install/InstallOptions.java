package org.hpckernel.install;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A parsed {@code install} command line.
 *
 * @param jvmOptions only the user's {@code --jvm-opt} values; the defaults are added later
 * @param java the {@code --java} value as typed, not yet checked
 */
public record InstallOptions(
        Location location, String name, String displayName, List<String> jvmOptions, Optional<String> java, boolean cds) {

    public static final String DEFAULT_DISPLAY_NAME = "Java (HPC)";

    public static final String USAGE = String.join("\n",
            "usage: java -jar hpc-kernel.jar install [--user | --sys-prefix | --prefix DIR] [--name NAME]",
            "           [--display-name TEXT] [--jvm-opt OPT]... [--java PATH] [--no-cds]",
            "  --user            install for the current user (default)",
            "  --sys-prefix      install into the active Python environment (VIRTUAL_ENV, CONDA_PREFIX or python3's sys.prefix)",
            "  --prefix DIR      install into DIR/share/jupyter/kernels",
            "  --name NAME       kernel name, letters, digits, '.', '_', '-' (default " + KernelName.DEFAULT + ")",
            "  --display-name T  name shown in the notebook launcher (default \"" + DEFAULT_DISPLAY_NAME + "\")",
            "  --jvm-opt OPT     extra JVM option for the kernel, repeatable, e.g. --jvm-opt -Xmx8g",
            "  --java PATH       java executable to run the kernel with (default: the one running this command)",
            "  --no-cds          skip building the class-data-sharing archive that makes the kernel start faster");

    public InstallOptions {
        jvmOptions = List.copyOf(jvmOptions);
    }

    public static InstallOptions parse(List<String> args) throws UsageException {
        Arguments in = new Arguments(args);
        String name = KernelName.DEFAULT;
        String displayName = DEFAULT_DISPLAY_NAME;
        List<String> jvmOptions = new ArrayList<>();
        Optional<String> java = Optional.empty();
        boolean cds = true;
        while (in.advance()) {
            if (in.takeLocation()) continue;
            switch (in.flag()) {
                case "--name" -> name = KernelName.validate(in.value());
                case "--display-name" -> {
                    displayName = in.value();
                    if (displayName.isBlank()) throw new UsageException("--display-name must not be empty");
                }
                case "--jvm-opt" -> {
                    String option = in.value();
                    // Anything not starting with '-' would be taken by java as the main class name.
                    if (!option.startsWith("-") || option.equals("-jar")) {
                        throw new UsageException("--jvm-opt '" + option + "' is not a JVM option;"
                                + " JVM options start with '-', e.g. --jvm-opt -Xmx8g");
                    }
                    jvmOptions.add(option);
                }
                case "--java" -> {
                    String path = in.value();
                    if (path.isBlank()) throw new UsageException("--java needs the path of a java executable");
                    java = Optional.of(path);
                }
                case "--no-cds" -> { in.noValue(); cds = false; }
                default -> throw new UsageException("unknown option '" + in.flag() + "'");
            }
        }
        return new InstallOptions(in.location(), name, displayName, jvmOptions, java, cds);
    }
}
