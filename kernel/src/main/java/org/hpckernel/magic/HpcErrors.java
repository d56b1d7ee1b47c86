package org.hpckernel.magic;

import java.util.List;
import org.hpckernel.hpc.HpcException;
import org.hpckernel.hpc.options.OptionException;

/** Turns the HPC layer's errors into cell errors: the ename a notebook shows, the message as is. */
final class HpcErrors {
    private HpcErrors() {}

    static MagicException toMagic(HpcException e) {
        String ename = switch (e.kind()) {
            case USAGE -> "UsageError";
            case CONFIG -> "ConfigError";
            case CONNECTION -> "ConnectionFailed";
            case LEDGER -> "LedgerError";
        };
        return new MagicException(ename, e.getMessage(), List.of(ename + ": " + e.getMessage()));
    }

    static MagicException toMagic(OptionException e) {
        return MagicException.usage(e.getMessage());
    }
}
