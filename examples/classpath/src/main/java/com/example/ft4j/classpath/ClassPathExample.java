package com.example.ft4j.classpath;

import io.ft4j.atomic.PaddedAtomicLong;
import io.ft4j.concurrent.ConcurrentDict;
import io.ft4j.concurrent.ConcurrentQueue;

import java.util.ArrayList;
import java.util.List;

/**
 * ft4j on the class path: a padded counter, a queue and a dict shared by a few threads. Prints what it counted and
 * exits with status 1 if any count is wrong.
 */
public final class ClassPathExample {
    private static final int THREADS = 4;
    private static final int PER_THREAD = 10_000;

    public static void main(String[] args) throws InterruptedException {
        PaddedAtomicLong hits = new PaddedAtomicLong();
        PaddedAtomicLong total = new PaddedAtomicLong();
        ConcurrentQueue<Integer> queue = new ConcurrentQueue<>();
        ConcurrentDict<String, Long> counts = new ConcurrentDict<>();

        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < PER_THREAD; i++) {
                    hits.incrementAndGet();
                    total.getAndAdd(i);
                    queue.offer(i);
                    counts.merge(i % 2 == 0 ? "even" : "odd", 1L, Long::sum);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        long polled = 0;
        long polledSum = 0;
        for (Integer e = queue.poll(); e != null; e = queue.poll()) {
            polled++;
            polledSum += e;
        }

        long n = (long) THREADS * PER_THREAD;
        long sum = (long) THREADS * PER_THREAD * (PER_THREAD - 1) / 2;
        boolean ok = check("PaddedAtomicLong hits", hits.get(), n)
                & check("PaddedAtomicLong total", total.get(), sum)
                & check("ConcurrentQueue polled", polled, n)
                & check("ConcurrentQueue sum", polledSum, sum)
                & check("ConcurrentDict even", counts.get("even"), n / 2)
                & check("ConcurrentDict odd", counts.get("odd"), n / 2);
        // On the class path a jar is part of the unnamed module, module-info.class or not.
        ok &= check("module of ft4j-core", String.valueOf(PaddedAtomicLong.class.getModule().getName()), "null");
        System.out.println(ok ? "ft4j class-path example: OK" : "ft4j class-path example: FAILED");
        if (!ok) {
            System.exit(1);
        }
    }

    private static boolean check(String what, Object actual, Object expected) {
        boolean ok = expected.equals(actual);
        System.out.printf("  %-24s %s%s%n", what, actual, ok ? "" : "   expected " + expected);
        return ok;
    }
}
