package io.ft4j.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.ft4j.lock.PriorityInheritanceLock;
import io.ft4j.lock.PriorityLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The examples of docs/mixed-criticality.md, compiled and run; the tagged regions are what the guide shows. */
@SuppressWarnings("try")
class MixedCriticalityGuideTest {
    @TempDir
    Path dir;

    @Test
    void priorityLock() {
        List<String> frames = new ArrayList<>();
        // tag::priority[]
        PriorityLock lock = new PriorityLock("frames");
        lock.lock();                    // queues at this thread's own rank (read from the OS only when it must queue)
        frames.add("mine");
        lock.unlock();
        try (var held = lock.locked(150)) {   // or at an explicit rank, 0..199
            frames.add("urgent");
        }
        // end::priority[]
        assertEquals(List.of("mine", "urgent"), frames);
        assertFalse(lock.isLocked());
    }

    @Test
    void inheritance() {
        List<String> buffer = new ArrayList<>();
        // tag::pi[]
        if (PriorityInheritanceLock.isSupported()) {           // Linux, PI futexes
            PriorityInheritanceLock lock = new PriorityInheritanceLock("shared-buffer");
            try (var held = lock.locked()) {                   // platform threads only
                buffer.add("frame");
            }
        }
        // end::pi[]
        assertEquals(PriorityInheritanceLock.isSupported() ? List.of("frame") : List.of(), buffer);
    }

    @Test
    void recording() throws Exception {
        Path file = dir.resolve("app.jfr");
        // tag::jfr[]
        try (Recording r = new Recording()) {
            r.enable("io.ft4j.LockWait").withThreshold(Duration.ofMillis(1));
            r.start();
            runTheWorkload();
            r.stop();
            r.dump(file);              // then: jfr print --events io.ft4j.LockWait app.jfr
        }
        // end::jfr[]
        assertEquals(List.of(), RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals("io.ft4j.LockWait")).toList(),
                "an uncontended workload waits for nothing");
        Files.delete(file);
    }

    private static void runTheWorkload() {
        PriorityLock lock = new PriorityLock();
        for (int i = 0; i < 1000; i++) {
            lock.lock(10);
            lock.unlock();
        }
    }
}
