package org.hpckernel.magic;

import java.util.List;
import org.hpckernel.display.MimeBundle;

/** {@code %name args}: returns a value to show as the cell's result, or null. */
public interface LineMagic extends Magic {
    MimeBundle run(List<String> args, MagicContext context) throws Exception;
}
