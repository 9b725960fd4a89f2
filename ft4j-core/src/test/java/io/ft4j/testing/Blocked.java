package io.ft4j.testing;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A blocking call running on its own platform thread, started and then observed parked inside the call, so that a
 * test acts on a thread that is certainly blocked (a latch counted down before the call cannot promise that).
 */
public final class Blocked {
    /** A call that may block and throw. */
    public interface Call {
        /**
         * @return anything
         * @throws Exception whatever the call throws
         */
        Object call() throws Exception;
    }

    private final Thread thread;
    private final CompletableFuture<Throwable> outcome;

    private Blocked(Thread thread, CompletableFuture<Throwable> outcome) {
        this.thread = thread;
        this.outcome = outcome;
    }

    /**
     * Starts {@code call} on a new platform thread and returns once that thread is parked (WAITING or TIMED_WAITING).
     *
     * @param call the blocking call
     * @return a handle on the running call
     */
    public static Blocked start(Call call) {
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().daemon().unstarted(() -> {
            try {
                call.call();
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        t.start();
        Eventually.until("the call to block", () -> {
            Thread.State s = t.getState();
            if (outcome.isDone()) {
                throw new AssertionError("the call never blocked; it ended with " + outcome.getNow(null));
            }
            return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING;
        });
        return new Blocked(t, outcome);
    }

    /** @return the thread running the call */
    public Thread thread() {
        return thread;
    }

    /**
     * Waits (up to 10 s) for the call to end.
     *
     * @return what it threw, or null if it returned
     * @throws Exception if it did not end in time
     */
    public Throwable outcome() throws Exception {
        return outcome.get(10, TimeUnit.SECONDS);
    }
}
