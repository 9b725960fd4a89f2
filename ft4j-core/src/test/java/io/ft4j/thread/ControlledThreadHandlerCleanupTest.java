package io.ft4j.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A ControlledThread runs its ThreadExit actions in run()'s finally, before the JVM calls the uncaught exception
 * handler on that same thread. Registrations made from the handler (directly or by CleanableThreadLocal.get())
 * never run, since ThreadExit.register starts no watcher for a ControlledThread; and a CleanableThreadLocal value
 * the handler reads has already been cleaned up. A plain Thread passes all three. */
class ControlledThreadHandlerCleanupTest {
    @Test
    void exitActionRegisteredByUncaughtHandlerRuns() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        Thread t = new ThreadBuilder()
                .uncaughtExceptionHandler((th, e) -> ThreadExit.register(ran::countDown))
                .unstarted(() -> { throw new IllegalStateException("task failed"); });
        t.start();
        t.join(5_000);
        assertTrue(ran.await(2, TimeUnit.SECONDS), "action registered in the uncaught handler never ran");
    }

    @Test
    void cleanableThreadLocalCreatedByHandlerOfRefusedThreadIsCleaned() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getProperty("os.name").startsWith("Linux"),
                "a refused CPU set needs Linux thread control");
        AtomicInteger created = new AtomicInteger();
        CountDownLatch cleaned = new CountDownLatch(1);
        CleanableThreadLocal<Object> log = CleanableThreadLocal.withInitial(
                () -> { created.incrementAndGet(); return new Object(); }, o -> cleaned.countDown());
        // refused setting: the ThreadControlException goes to the handler, which uses a thread-local buffer
        Thread t = new ThreadBuilder().cpus(CpuSet.of(CpuSet.MAX_CPUS - 1))
                .uncaughtExceptionHandler((th, e) -> log.get())
                .unstarted(() -> {});
        t.start();
        t.join(5_000);
        assertEquals(1, created.get());
        assertTrue(cleaned.await(2, TimeUnit.SECONDS), "cleanup of a created value never ran (leak)");
    }

    @Test
    void uncaughtHandlerDoesNotSeeAlreadyCleanedValue() throws Exception {
        record Res(AtomicBoolean closed) {}
        CleanableThreadLocal<Res> tl = CleanableThreadLocal.withInitial(() -> new Res(new AtomicBoolean()),
                r -> r.closed().set(true));
        AtomicBoolean handlerSawClosed = new AtomicBoolean();
        Thread t = new ThreadBuilder()
                .uncaughtExceptionHandler((th, e) -> handlerSawClosed.set(tl.get().closed().get()))
                .unstarted(() -> { tl.get(); throw new IllegalStateException("task failed"); });
        t.start();
        t.join(5_000);
        assertFalse(handlerSawClosed.get(), "handler got a value whose cleanup already ran (use after close)");
    }
}
