package org.hpckernel.hpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The follower alone, over a transport in memory: offsets, partial characters and lines, the cap. */
class OutputFollowerTest {
    private static final String DIR = "/work/jobs/k";
    private final FakeCluster.Files files = new FakeCluster.Files();

    @Test
    void aFailedReadResumesAtTheSameOffsetWithNothingLostOrRepeated() throws Exception {
        RecordingListener out = new RecordingListener();
        OutputFollower follower = new OutputFollower(DIR, null, out, 1 << 20);
        files.append(DIR + "/stdout", "a\nb\n");
        follower.poll(files);
        files.append(DIR + "/stdout", "c\n");
        files.failNext.set(1);
        assertThrows(IOException.class, () -> follower.poll(files));
        files.append(DIR + "/stdout", "d\n");
        follower.poll(files);
        follower.finishTask(files, null);
        assertEquals("a\nb\nc\nd\n", out.stdout.toString());
    }

    @Test
    void aCharacterSplitBetweenTwoReadsArrivesWhole() throws Exception {
        RecordingListener out = new RecordingListener();
        OutputFollower follower = new OutputFollower(DIR, List.of(3), out, 1 << 20);
        byte[] euro = "€\n".getBytes(StandardCharsets.UTF_8);
        files.append(DIR + "/stdout.3", new byte[] {euro[0]});
        follower.poll(files, 3);
        files.append(DIR + "/stdout.3", new byte[] {euro[1], euro[2], euro[3]});
        follower.poll(files, 3);
        follower.finishTask(files, 3);
        assertEquals("€\n", out.stdout.toString());
    }

    @Test
    void pastTheCapTheTextIsNotTransferredAndTheResultStillIs() throws Exception {
        RecordingListener out = new RecordingListener();
        OutputFollower follower = new OutputFollower(DIR, null, out, 1000);
        files.append(DIR + "/stdout", "o".repeat(3_000_000));
        files.append(DIR + "/stderr", "e".repeat(10_000));
        StringBuilder events = new StringBuilder();
        for (int i = 0; i < 20_000; i++) events.append("{\"t\":\"stream\",\"name\":\"stdout\",\"text\":\"line ").append(i).append("\\n\"}\n");
        events.append("{\"t\":\"error\",\"ename\":\"E\",\"evalue\":\"v\",\"traceback\":[]}\n");
        files.append(DIR + "/events.jsonl", events.toString());
        while (follower.poll(files)) {
            // until nothing grows
        }
        follower.finishTask(files, null);
        assertEquals(1000, out.stdout.length() + out.stderr.length());
        assertTrue(files.bytesRead.get() <= 1000 + OutputFollower.EVENTS_TAIL, "transferred " + files.bytesRead.get());
        assertEquals(3_000_000 + 10_000 + events.length() - 1000, out.skipped);
        assertEquals("error", out.events.get(out.events.size() - 1).get("t").getAsString());
    }
}
