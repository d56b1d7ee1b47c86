package org.hpckernel.magic;

import java.util.List;
import java.util.Map;
import org.hpckernel.display.MimeBundle;

/** {@code %lsmagic}: what magics exist, one line each. */
final class LsMagic implements LineMagic {
    private final MagicRegistry registry;

    LsMagic(MagicRegistry registry) {
        this.registry = registry;
    }

    @Override
    public String name() {
        return "lsmagic";
    }

    @Override
    public String summary() {
        return "list the available magics";
    }

    @Override
    public MimeBundle run(List<String> args, MagicContext context) {
        StringBuilder text = new StringBuilder("Cell magics:\n");
        registry.cellMagics().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> text.append("  %%").append(e.getKey()).append("  ").append(e.getValue().summary()).append('\n'));
        text.append("Line magics:\n");
        registry.lineMagics().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> text.append("  %").append(e.getKey()).append("  ").append(e.getValue().summary()).append('\n'));
        return MimeBundle.text(text.toString().stripTrailing());
    }
}
