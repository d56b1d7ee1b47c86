package org.hpckernel.hpc;

import org.hpckernel.hpc.scheduler.JobSpec;

/** A job directory that is ready to submit. */
public record JobPackage(String key, String jobDir, String scriptPath, String script, JobSpec spec, String contentHash) {}
