package org.hpckernel.magic;

import org.hpckernel.hpc.CellValues;
import org.hpckernel.hpc.EncodedValue;
import org.hpckernel.hpc.ReturnPlan;

/** What --dry-run says about a cell's values: which would ship (with sizes and hashes) and which would come back. */
final class ShipmentText {
    private ShipmentText() {}

    static String describe(CellValues values) {
        StringBuilder s = new StringBuilder();
        if (values.compiled() != null) {
            s.append("# compiled in the kernel: ").append(values.compiled().mainClass()).append(" (classes SHA-256 ")
                    .append(values.compiled().jarSha256()).append(")\n");
        }
        if (values.inputs().isEmpty()) {
            s.append("# no notebook values would ship with the job\n");
        } else {
            s.append("# notebook values that would ship with the job:\n");
            for (EncodedValue v : values.inputs()) {
                s.append("#   ").append(v.name()).append(" (").append(v.type()).append("): ").append(v.size())
                        .append(" bytes, SHA-256 ").append(v.sha256()).append(v.serialized() ? ", Java serialization" : "").append('\n');
            }
        }
        ReturnPlan r = values.returns();
        if (!r.isEmpty()) {
            s.append("# values that would be bound when it completes:");
            for (ReturnPlan.Output o : r.outputs()) {
                s.append(' ').append(o.name()).append(" (").append(r.array() ? "List of " : "")
                        .append(o.type() != null ? o.type() : "type from its JSON").append(')');
            }
            s.append('\n');
        }
        return s.toString();
    }
}
