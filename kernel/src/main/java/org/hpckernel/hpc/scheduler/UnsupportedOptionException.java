package org.hpckernel.hpc.scheduler;

/** A %%hpc option this scheduler cannot express; raised before anything is submitted. */
public final class UnsupportedOptionException extends Exception {
    public UnsupportedOptionException(String scheduler, String option, String why) {
        super(scheduler + " cannot express " + option + ": " + why);
    }
}
