package org.hpckernel.magic;

import java.util.List;
import org.hpckernel.display.MimeBundle;

/** {@code %%name args} + body: returns a value to show as the cell's result, or null. */
public interface CellMagic extends Magic {
    MimeBundle run(List<String> args, String body, MagicContext context) throws Exception;
}
