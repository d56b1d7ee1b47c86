package org.hpckernel.magic;

import java.util.ArrayList;
import java.util.List;
import org.hpckernel.hpc.ValueRefusal;

/** A value that could not travel, as the cell's error. */
final class ValueErrors {
    private ValueErrors() {}

    static MagicException toMagic(ValueRefusal e) {
        List<String> traceback = new ArrayList<>();
        if (e.details().isEmpty()) traceback.add(e.name() + ": " + e.getMessage());
        else traceback.addAll(e.details());
        return new MagicException(e.name(), e.getMessage(), traceback);
    }
}
