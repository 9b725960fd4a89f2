package io.ft4j.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.function.IntConsumer;

/** Runs a body on many platform threads released together by a barrier, and fails if any thread failed. */
public final class Race {
    private Race() {}

    /**
     * @param threads how many threads
     * @param body what each runs, given its index 0..threads-1
     * @throws Exception if interrupted while joining
     */
    public static void race(int threads, IntConsumer body) throws Exception {
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Thread> all = new ArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        for (int t = 0; t < threads; t++) {
            int index = t;
            all.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    body.accept(index);
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread thread : all) {
            thread.join();
        }
        if (!failures.isEmpty()) {
            AssertionError e = new AssertionError(failures.size() + " thread(s) failed", failures.get(0));
            failures.stream().skip(1).forEach(e::addSuppressed);
            throw e;
        }
    }
}
