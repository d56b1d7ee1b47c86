package org.hpckernel.hpc;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Keeps what a followed job produced: its text per stream, its events, every status shown. */
class RecordingListener implements JobListener {
    final StringBuilder stdout = new StringBuilder();
    final StringBuilder stderr = new StringBuilder();
    final List<JsonObject> events = new ArrayList<>();
    final List<JobView> statuses = new ArrayList<>();
    long skipped;

    @Override
    public synchronized void onStatus(JobView view) {
        statuses.add(view);
    }

    @Override
    public synchronized void onStream(Integer task, String name, String text) {
        (name.equals("stdout") ? stdout : stderr).append(text);
    }

    @Override
    public synchronized void onEvent(Integer task, JsonObject event) {
        events.add(event);
    }

    @Override
    public synchronized void onSkipped(Integer task, String file, long bytes) {
        skipped += bytes;
    }

    synchronized boolean saidReason(String words) {
        return statuses.stream().anyMatch(v -> v.reason() != null && v.reason().contains(words));
    }
}
