package org.hpckernel.magic;

import java.util.List;
import org.hpckernel.display.MimeBundle;

/** {@code %hpc SUBCOMMAND}: the session's jobs and clusters. */
final class HpcLineMagic implements LineMagic {
    static final List<String> SUBCOMMANDS =
            List.of("help", "jobs", "status", "cancel", "logs", "attach", "clusters", "use", "check", "clean");

    @Override
    public String name() {
        return "hpc";
    }

    @Override
    public String summary() {
        return "jobs and clusters: %hpc help | jobs | status ID | cancel ID | logs ID | clusters | use NAME";
    }

    @Override
    public List<String> complete(List<String> wordsBefore, String prefix) {
        if (!wordsBefore.isEmpty()) return List.of();
        return SUBCOMMANDS.stream().filter(s -> s.startsWith(prefix)).toList();
    }

    @Override
    public MimeBundle run(List<String> args, MagicContext context) throws MagicException {
        if (args.isEmpty() || args.get(0).equals("help")) return MimeBundle.text(help());
        throw MagicException.usage("%hpc " + args.get(0) + " is not in this build yet; " + summary());
    }

    static String help() {
        StringBuilder s = new StringBuilder("%%hpc [options] — run the cell as a batch job\n\nOptions:\n");
        for (HpcOption o : HpcOption.values()) {
            String names = o.longName() + o.shortName().map(x -> ", " + x).orElse("")
                    + (o.takesValue() ? " " + o.valueName() : "");
            s.append(String.format("  %-28s %s%n", names, o.help()));
        }
        s.append("\n%hpc subcommands: ").append(String.join(", ", SUBCOMMANDS));
        return s.toString();
    }
}
