package org.hpckernel.hpc.scheduler;

/**
 * How an exported pipeline's submit.sh chains its jobs on this scheduler, as bash text the script
 * splices in: each job is held until the previous one completed.
 *
 * @param hold the words that hold a job on {@code $previous} (the previous job's id, or its array's
 *     subjob ids separated by spaces), as elements of a bash array
 * @param readIds bash that sets {@code id} (the job's id as shown) and {@code after} (what the next
 *     job's hold names) from {@code $out}, what the submit command printed
 * @param stdinSubmit the program to run with the script on its standard input and the hold as
 *     its own options, where the kernel's submit argv wraps that in {@code sh -c} (bsub); null
 *     when the script is an argument of the submit command
 * @param arrayCount a sed extended regular expression of the directive lines whose number is an
 *     array's task count rather than its index range (OAR), group 1 kept; null when none
 */
public record ChainedSubmit(String hold, String readIds, String stdinSubmit, String arrayCount) {
    static ChainedSubmit of(String hold, String readIds) {
        return new ChainedSubmit(hold, readIds, null, null);
    }
}
