package org.hpckernel.magic;

import java.util.ArrayList;
import java.util.List;
import org.hpckernel.display.MimeBundle;

/** {@code %%hpc [options]}: run the cell as a batch job. */
final class HpcCellMagic implements CellMagic {
    @Override
    public String name() {
        return "hpc";
    }

    @Override
    public String summary() {
        return "run this cell as a batch job on a cluster (options like sbatch: -p, -t, -N, --mem…; %hpc help)";
    }

    @Override
    public List<String> complete(List<String> wordsBefore, String prefix) {
        if (!wordsBefore.isEmpty()) {
            HpcOption previous = HpcOption.byName(wordsBefore.get(wordsBefore.size() - 1)).orElse(null);
            if (previous != null && previous.takesValue()) return List.of();
        }
        List<String> matches = new ArrayList<>();
        for (HpcOption o : HpcOption.values()) {
            if (o.longName().startsWith(prefix) && (o.repeatable() || !wordsBefore.contains(o.longName()))) {
                matches.add(o.longName());
            }
        }
        return matches;
    }

    @Override
    public MimeBundle run(List<String> args, String body, MagicContext context) throws MagicException {
        throw new MagicException("NotImplemented", "%%hpc job submission is not in this build yet",
                List.of("NotImplemented: %%hpc job submission is not in this build yet"));
    }
}
