package io.ft4j.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The liveness harness for every blocking collection: producers, consumers, observers and removers on one queue at
 * a small capacity, watched by a watchdog that fails the run, with a thread dump, when no element moves for 2 s
 * while work remains. At the end every accepted element must have been taken, removed or handed back exactly once,
 * every sampled {@code size()} and {@code remainingCapacity()} must have been within [0, capacity], and a bounded
 * queue must have every place back.
 *
 * <ul>
 *   <li>producers insert distinct integers with {@code put}, timed {@code offer} and {@code offer} in turn;</li>
 *   <li>consumers take with {@code take}, timed {@code poll}, {@code poll} and {@code drainTo};</li>
 *   <li>observers call {@code peek}, {@code isEmpty}, {@code size}, {@code remainingCapacity}, {@code contains},
 *       iterate and {@code toArray}, checking what they see;</li>
 *   <li>removers take elements out of turn with {@code remove(Object)} and {@code removeIf}, each removing one
 *       known value so that what it removed is known exactly.</li>
 * </ul>
 */
public final class Liveness {
    private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(2);

    private Liveness() {}

    /**
     * What to run.
     *
     * @param name for messages
     * @param queue the queue, empty
     * @param capacity its bound, or {@link Integer#MAX_VALUE}
     * @param producers producer threads
     * @param consumers consumer threads
     * @param observers observer threads
     * @param removers out-of-turn remover threads
     * @param perProducer elements each producer inserts
     * @param handBack stops the queue and returns what is left in it (shutdownNow), after every thread has ended
     * @param untimed producers only {@code put} and consumers only {@code take}: a lost wake-up then stalls the run
     *     instead of being covered by a timed call
     */
    public record Config(String name, BlockingQueue<Integer> queue, int capacity, int producers, int consumers,
            int observers, int removers, int perProducer, Function<BlockingQueue<Integer>, List<Integer>> handBack,
            boolean untimed) {}

    /**
     * Runs the configuration and checks it.
     *
     * @param c what to run
     * @throws Exception if interrupted
     * @throws AssertionError if the run stalled, lost or duplicated an element, or saw a size out of bounds
     */
    public static void run(Config c) throws Exception {
        new Run(c).run();
    }

    private static final class Run {
        final Config c;
        final BlockingQueue<Integer> q;
        final int total;
        /** Per element: how many times it was handed out (taken, removed or handed back). */
        final AtomicIntegerArray delivered;
        final AtomicIntegerArray accepted;
        final AtomicLong moves = new AtomicLong();
        final AtomicLong handedOut = new AtomicLong();
        final AtomicLong acceptedCount = new AtomicLong();
        final AtomicBoolean finished = new AtomicBoolean();
        final List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<Thread> workers = new ArrayList<>();
        volatile String stall;

        Run(Config c) {
            this.c = c;
            this.q = c.queue();
            this.total = c.producers() * c.perProducer();
            this.delivered = new AtomicIntegerArray(total);
            this.accepted = new AtomicIntegerArray(total);
        }

        void run() throws Exception {
            List<Thread> producers = new ArrayList<>();
            for (int p = 0; p < c.producers(); p++) {
                int base = p * c.perProducer();
                producers.add(start("producer-" + p, () -> produce(base)));
            }
            for (int i = 0; i < c.consumers(); i++) {
                start("consumer-" + i, this::consume);
            }
            for (int i = 0; i < c.observers(); i++) {
                start("observer-" + i, this::observe);
            }
            for (int i = 0; i < c.removers(); i++) {
                start("remover-" + i, this::removeOutOfTurn);
            }
            Thread watchdog = Thread.ofPlatform().name("watchdog").daemon().start(this::watch);
            for (Thread p : producers) {
                p.join();
            }
            while (stall == null && failures.isEmpty() && handedOut.get() < acceptedCount.get()) {
                Thread.onSpinWait(); // the watchdog ends this wait if nothing moves
            }
            finished.set(true);
            for (Thread w : workers) {
                w.interrupt();
            }
            for (Thread w : workers) {
                w.join();
            }
            watchdog.interrupt();
            watchdog.join();
            if (stall != null) {
                throw new AssertionError(c.name() + ": " + stall);
            }
            if (!failures.isEmpty()) {
                AssertionError e = new AssertionError(c.name() + ": " + failures.size() + " thread(s) failed",
                        failures.get(0));
                failures.stream().skip(1).forEach(e::addSuppressed);
                throw e;
            }
            for (Integer e : c.handBack().apply(q)) {
                deliver(e);
            }
            for (int i = 0; i < total; i++) {
                int want = accepted.get(i);
                if (delivered.get(i) != want) {
                    throw new AssertionError(c.name() + ": element " + i + " accepted " + want + " time(s), handed out "
                            + delivered.get(i) + " time(s)");
                }
            }
            if (c.capacity() != Integer.MAX_VALUE) {
                if (q.size() != 0 || q.remainingCapacity() != c.capacity()) {
                    throw new AssertionError(c.name() + ": empty at the end, yet size " + q.size()
                            + " and remainingCapacity " + q.remainingCapacity() + " of " + c.capacity());
                }
            }
        }

        Thread start(String name, ThrowingRunnable body) {
            Thread t = Thread.ofPlatform().name(c.name() + "-" + name).unstarted(() -> {
                try {
                    body.run();
                } catch (InterruptedException e) {
                    if (!finished.get()) {
                        failures.add(e);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            workers.add(t);
            t.start();
            return t;
        }

        interface ThrowingRunnable {
            void run() throws Exception;
        }

        void produce(int base) throws InterruptedException {
            for (int i = 0; i < c.perProducer(); i++) {
                Integer e = base + i;
                switch (c.untimed() ? 0 : i % 3) {
                    case 0 -> q.put(e);
                    case 1 -> {
                        while (!q.offer(e, 1, TimeUnit.MILLISECONDS)) {
                            checkRunning();
                        }
                    }
                    default -> {
                        while (!q.offer(e)) {
                            checkRunning();
                            Thread.onSpinWait();
                        }
                    }
                }
                accepted.incrementAndGet(e);
                acceptedCount.incrementAndGet();
                moves.incrementAndGet();
            }
        }

        void checkRunning() throws InterruptedException {
            if (finished.get() || Thread.interrupted()) {
                throw new InterruptedException("stopped by the harness");
            }
        }

        void deliver(Integer e) {
            if (e == null || e < 0 || e >= total) {
                throw new AssertionError("handed out an element never inserted: " + e);
            }
            delivered.incrementAndGet(e);
            handedOut.incrementAndGet();
            moves.incrementAndGet();
        }

        void consume() throws InterruptedException {
            List<Integer> batch = new ArrayList<>();
            for (long n = 0; !finished.get(); n++) {
                switch (c.untimed() ? 0 : (int) (n & 3)) {
                    case 0 -> deliver(q.take());
                    case 1 -> {
                        Integer e = q.poll(1, TimeUnit.MILLISECONDS);
                        if (e != null) {
                            deliver(e);
                        }
                    }
                    case 2 -> {
                        Integer e = q.poll();
                        if (e != null) {
                            deliver(e);
                        }
                    }
                    default -> {
                        batch.clear();
                        q.drainTo(batch, 3);
                        batch.forEach(this::deliver);
                    }
                }
            }
        }

        void observe() {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            int cap = c.capacity();
            while (!finished.get()) {
                Integer head = q.peek();
                if (head != null && (head < 0 || head >= total)) {
                    throw new AssertionError("peek returned an element never inserted: " + head);
                }
                q.isEmpty();
                int size = q.size();
                if (size < 0 || size > cap) {
                    throw new AssertionError("size() " + size + " outside [0, " + cap + "]");
                }
                int room = q.remainingCapacity();
                if (room < 0 || room > cap) {
                    throw new AssertionError("remainingCapacity() " + room + " outside [0, " + cap + "]");
                }
                q.contains(r.nextInt(total));
                pace();
                if (r.nextInt(8) == 0) {
                    boolean[] seen = new boolean[total];
                    for (Iterator<Integer> it = q.iterator(); it.hasNext(); ) {
                        int e = it.next();
                        if (seen[e]) {
                            throw new AssertionError("an iterator returned " + e + " twice");
                        }
                        seen[e] = true;
                    }
                    for (Object e : q.toArray()) {
                        if (e == null) {
                            throw new AssertionError("toArray holds null: " + Arrays.toString(q.toArray()));
                        }
                    }
                }
            }
        }

        void removeOutOfTurn() {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            while (!finished.get()) {
                // aim near what was accepted last, where elements still wait
                long hi = Math.max(1, acceptedCount.get());
                int producer = r.nextInt(c.producers());
                int offset = (int) Math.min(c.perProducer() - 1, r.nextLong(hi) / c.producers());
                int e = producer * c.perProducer() + offset;
                Integer value = e;
                boolean removed = r.nextBoolean() ? q.remove(value) : q.removeIf(value::equals);
                if (removed) {
                    deliver(value);
                }
                pace();
            }
        }

        /**
         * Observers and removers never block, and on a machine with few cores they would keep the producers and
         * consumers they race from running at all; a short park between rounds leaves them the CPU (pacing, not
         * synchronization: nothing waits for anything).
         */
        static void pace() {
            java.util.concurrent.locks.LockSupport.parkNanos(20_000L);
        }

        void watch() {
            long last = moves.get();
            long since = System.nanoTime();
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(20); // sampling period of the watchdog, not synchronization
                } catch (InterruptedException e) {
                    return;
                }
                long now = moves.get();
                if (now != last) {
                    last = now;
                    since = System.nanoTime();
                } else if (System.nanoTime() - since > STALL_NANOS) {
                    stall = "no element moved for 2 s (accepted " + acceptedCount.get() + ", handed out "
                            + handedOut.get() + ", size " + q.size() + ", remainingCapacity " + q.remainingCapacity()
                            + ", peek " + q.peek() + ")\n" + dump();
                    finished.set(true);
                    workers.forEach(Thread::interrupt);
                    return;
                }
            }
        }

        String dump() {
            StringBuilder b = new StringBuilder();
            for (Map.Entry<Thread, StackTraceElement[]> t : Thread.getAllStackTraces().entrySet()) {
                if (!workers.contains(t.getKey())) {
                    continue;
                }
                b.append('"').append(t.getKey().getName()).append("\" ").append(t.getKey().getState()).append('\n');
                for (StackTraceElement f : t.getValue()) {
                    b.append("    at ").append(f).append('\n');
                }
            }
            return b.toString();
        }
    }
}
