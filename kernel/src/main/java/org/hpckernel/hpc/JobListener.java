package org.hpckernel.hpc;

import com.google.gson.JsonObject;

/**
 * Receives what a job produces while it is followed. {@code task} is the array index, or null
 * for a plain job. Called from the monitor thread, in file order for each stream.
 */
public interface JobListener {
    void onStatus(JobView view);

    void onStream(Integer task, String name, String text);

    /** A runner event other than stream ("display", "clear", "result", "error", "start", "exit"). */
    void onEvent(Integer task, JsonObject event);

    /**
     * {@code bytes} of a file ("stdout", "stderr", "events") were passed over without being read:
     * the cell's output cap was reached. The file keeps them.
     */
    default void onSkipped(Integer task, String file, long bytes) {}

    /** A listener for state changes only (tools and benchmarks that do not want the output). */
    static JobListener statusOnly(java.util.function.Consumer<JobView> onStatus) {
        return new JobListener() {
            @Override
            public void onStatus(JobView view) {
                onStatus.accept(view);
            }

            @Override
            public void onStream(Integer task, String name, String text) {}

            @Override
            public void onEvent(Integer task, JsonObject event) {}
        };
    }

    JobListener NONE = new JobListener() {
        @Override
        public void onStatus(JobView view) {}

        @Override
        public void onStream(Integer task, String name, String text) {}

        @Override
        public void onEvent(Integer task, JsonObject event) {}
    };
}
