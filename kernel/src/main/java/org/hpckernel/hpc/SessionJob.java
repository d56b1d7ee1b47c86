package org.hpckernel.hpc;

import java.time.Instant;

/** A job this kernel session submitted; {@code tracked} is null for jobs only known from records. */
public record SessionJob(String id, String cluster, String key, String jobDir, Instant submitted, String summary,
        TrackedJob tracked) {}
