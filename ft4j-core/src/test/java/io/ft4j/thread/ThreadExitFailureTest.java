package io.ft4j.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Which uncaught exception handler hears of a failed exit action, and what happens when it fails too. */
@Timeout(60)
class ThreadExitFailureTest {
    /** Threads built unstarted, so that a handler can be set before they run. */
    enum Kind {
        CONTROLLED(task -> new ThreadBuilder().name("controlled").unstarted(task)),
        PLAIN(task -> Thread.ofPlatform().name("plain").unstarted(task)),
        VIRTUAL(task -> Thread.ofVirtual().name("virtual").unstarted(task));

        final Function<Runnable, Thread> unstarted;

        Kind(Function<Runnable, Thread> unstarted) {
            this.unstarted = unstarted;
        }
    }

    /**
     * The JVM ignores an exception thrown by an uncaught exception handler; so does ThreadExit: the remaining actions
     * run, and the handler hears of each failed action once (on a ControlledThread, nothing escapes run() to reach the
     * handler a second time).
     */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void aThrowingHandlerStopsNoActionAndIsCalledOncePerFailure(Kind kind) throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        CountDownLatch lastRan = new CountDownLatch(1);
        Thread t = kind.unstarted.apply(() -> {
            ThreadExit.register(() -> {
                throw new IllegalStateException("first");
            });
            ThreadExit.register(() -> events.add("action 2"));
            ThreadExit.register(() -> {
                throw new IllegalStateException("second");
            });
            ThreadExit.register(() -> {
                events.add("action 4");
                lastRan.countDown();
            });
        });
        t.setUncaughtExceptionHandler((th, e) -> {
            events.add("handler: " + e.getMessage() + (th == t ? "" : " on " + th));
            throw new IllegalArgumentException("the handler fails");
        });
        t.start();
        t.join();
        assertTrue(lastRan.await(10, TimeUnit.SECONDS), "the last action ran; events " + events);
        assertEquals(List.of("handler: first", "action 2", "handler: second", "action 4"), events);
    }

    /**
     * A thread built by ThreadBuilder runs its actions itself, so a failure goes to the handler it has at that moment:
     * one set by the task after the first registration, or by an earlier exit action.
     */
    @Test
    void aControlledThreadReportsToTheHandlerItHasWhenTheActionFails() throws Exception {
        List<String> heard = new CopyOnWriteArrayList<>();
        Thread t = new ThreadBuilder().uncaughtExceptionHandler((th, e) -> heard.add("builder's: " + e.getMessage()))
                .unstarted(() -> {
                    ThreadExit.register(() -> {
                        throw new IllegalStateException("a");
                    });
                    ThreadExit.register(() -> Thread.currentThread()
                            .setUncaughtExceptionHandler((th, e) -> heard.add("action's: " + e.getMessage())));
                    ThreadExit.register(() -> {
                        throw new IllegalStateException("b");
                    });
                    Thread.currentThread()
                            .setUncaughtExceptionHandler((th, e) -> heard.add("task's: " + e.getMessage()));
                });
        t.start();
        t.join();
        assertEquals(List.of("task's: a", "action's: b"), heard);
    }

    /**
     * Any other thread's actions run after it terminated, when it reports no handler: they use the one it had at its
     * first registration, as ThreadExit documents, not one set later.
     */
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"PLAIN", "VIRTUAL"})
    void aWatchedThreadReportsToTheHandlerItHadAtItsFirstRegistration(Kind kind) throws Exception {
        List<String> heard = new CopyOnWriteArrayList<>();
        CountDownLatch lastRan = new CountDownLatch(1);
        Thread t = kind.unstarted.apply(() -> {
            ThreadExit.register(() -> {
                throw new IllegalStateException("boom");
            });
            ThreadExit.register(lastRan::countDown);
            Thread.currentThread().setUncaughtExceptionHandler((th, e) -> heard.add("later: " + e.getMessage()));
        });
        t.setUncaughtExceptionHandler((th, e) -> heard.add("first: " + e.getMessage()));
        t.start();
        t.join();
        assertTrue(lastRan.await(10, TimeUnit.SECONDS), "the last action ran");
        assertEquals(List.of("first: boom"), heard);
    }
}
