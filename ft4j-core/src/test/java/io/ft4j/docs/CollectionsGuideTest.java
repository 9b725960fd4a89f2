package io.ft4j.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ft4j.concurrent.BatchExecutor;
import io.ft4j.concurrent.ConcurrentDeque;
import io.ft4j.concurrent.ConcurrentDict;
import io.ft4j.concurrent.ConcurrentGatheringIterator;
import io.ft4j.concurrent.ConcurrentQueue;
import io.ft4j.concurrent.ShutDownException;
import io.ft4j.concurrent.WaitStrategy;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The examples of docs/collections.md, compiled and run; the regions between the tags are what the guide shows. */
class CollectionsGuideTest {
    record Job(int id) {}

    record Task(String name) {}

    @Test
    void dict() {
        String word = "free";
        // tag::dict[]
        ConcurrentDict<String, Long> counts = new ConcurrentDict<>(10_000); // room for 10,000 entries
        counts.merge(word, 1L, Long::sum);                                  // atomic
        counts.putIfAbsent("k", 0L);                                        // returns the previous value or null
        counts.remove("k");
        Map<String, Long> plain = counts.snapshot();                        // a HashMap copy
        // end::dict[]
        assertEquals(Map.of("free", 1L), plain);
    }

    @Test
    void gather() {
        List<String> seen = new ArrayList<>();
        int n = 3;
        // tag::gather[]
        ConcurrentGatheringIterator<String> gather = new ConcurrentGatheringIterator<>();
        // producers, any thread, any order:
        gather.insert(2, "c");
        gather.insert(0, "a");
        gather.insert(1, "b");               // or gather.fail(exception)
        // one consumer, in key order:
        for (Iterator<String> it = gather.iterator(n - 1); it.hasNext(); ) {
            seen.add(it.next());
        }
        // end::gather[]
        assertEquals(List.of("a", "b", "c"), seen);
    }

    @Test
    void batch() {
        AtomicLong service = new AtomicLong();
        // tag::batch[]
        BatchExecutor<Long> ids = new BatchExecutor<>(service::incrementAndGet, 64);
        long id = ids.load();    // any thread; one refill of 64 per 64 loads, by one thread
        // end::batch[]
        assertEquals(1L, id);
        assertEquals(64L, service.get(), "one refill of 64");
    }

    @Test
    void queue() throws Exception {
        Job job = new Job(1);
        Exception cause = new IllegalStateException("upstream failed");
        // tag::queue[]
        ConcurrentQueue<Job> q = ConcurrentQueue.<Job>builder()
                .capacity(10_000)                       // optional: put blocks and offer fails beyond it
                .waitStrategy(WaitStrategy.SPINNING)    // or BLOCKING (default): park after ~10 us
                .build();
        q.put(job);                                     // producers
        Job j = q.take();                               // consumers; q.poll(5, SECONDS) waits until a deadline
        q.put(new Job(2));
        q.shutdown();                                   // refuse new jobs; consumers drain the rest, then ShutDownException
        // end::queue[]
        assertEquals(job, j);
        assertEquals(new Job(2), q.take());
        assertThrows(ShutDownException.class, q::take);
        // tag::stop[]
        ConcurrentQueue<Job> r = new ConcurrentQueue<>();
        r.put(new Job(3));
        List<Job> left = r.shutdownNow();               // stop now and get back what no consumer took
        ConcurrentQueue<Job> s = new ConcurrentQueue<>();
        s.poison(cause);                                // shutdownNow, and consumers' ShutDownException carries the cause
        // end::stop[]
        assertEquals(List.of(new Job(3)), left);
        assertEquals(cause, assertThrows(ShutDownException.class, s::take).getCause());
    }

    @Test
    void deque() throws Exception {
        List<Task> batch = List.of(new Task("b1"), new Task("b2"));
        List<Task> urgent = List.of(new Task("u1"), new Task("u2"));
        // tag::deque[]
        ConcurrentDeque<Task> d = new ConcurrentDeque<>();
        d.addAllLast(batch);       // extend, atomically
        d.addAllFirst(urgent);     // extendleft (reversed, like collections.deque), atomically
        d.rotate(1);               // atomically
        Task t = d.takeFirst();    // or takeLast(), pollFirst(timeout, unit), ...
        // end::deque[]
        assertEquals(new Task("b2"), t, "u2 u1 b1 b2 rotated right by one: b2 first");
        assertEquals(List.of(new Task("u2"), new Task("u1"), new Task("b1")), List.copyOf(d));
    }
}
