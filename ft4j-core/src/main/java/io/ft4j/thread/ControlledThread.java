package io.ft4j.thread;

import java.util.concurrent.CountDownLatch;

/**
 * A platform thread built by {@link ThreadBuilder}: it applies its CPU set, policy and nice value on start, before
 * any user code, records its OS thread id so that other threads can reconfigure it ({@link Affinity#set(Thread,
 * CpuSet)}, {@link Scheduling#setNice(Thread, int)}, ...), and runs its {@link ThreadExit} actions itself, as the
 * last thing it does.
 *
 * <p>If the settings cannot be applied, the thread ends without running its task. A thread started by
 * {@link ThreadBuilder#start(Runnable)} leaves the {@link ThreadControlException} to that call, which throws it; any
 * other ends with it, so that it reaches the thread's uncaught exception handler.
 */
public final class ControlledThread extends Thread {
    private final ThreadBuilder.Config config;
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile int tid;
    /** Whether a failure to apply the settings is reported by the starting call rather than by this thread. */
    private final boolean failureToStarter;
    private volatile RuntimeException startFailure;

    ControlledThread(ThreadBuilder.Config config, Runnable task, String name, boolean failureToStarter) {
        super(null, task, name);
        this.config = config;
        this.failureToStarter = failureToStarter;
        setDaemon(config.daemon());
        if (config.handler() != null) {
            setUncaughtExceptionHandler(config.handler());
        }
    }

    /**
     * Applies the settings, then runs the task, then this thread's exit actions; an exception that ends the task
     * (or a refused setting, unless {@link ThreadBuilder#start} reports it) reaches the uncaught exception handler
     * before the exit actions run. Called by the JVM on start; a direct call from another thread just runs the task,
     * like {@link Thread#run()}.
     */
    @Override
    public void run() {
        if (Thread.currentThread() != this) {
            super.run();
            return;
        }
        try {
            try {
                tid = Threads.OS.isSupported() ? Threads.OS.currentTid() : 0;
                config.applyToCurrentThread();
            } catch (RuntimeException e) {
                startFailure = e;
                if (failureToStarter) {
                    return; // ThreadBuilder.start throws it; the exit actions still run (outer finally)
                }
                throw e;
            } finally {
                ready.countDown();
            }
            super.run();
        } catch (Throwable t) {
            reportUncaught(t);
        } finally {
            ThreadExit.runActionsOfCurrentThread();
        }
    }

    /**
     * Hands an exception that ends the thread to its uncaught exception handler while the thread's exit actions and
     * cleanable thread-locals are still in place, as they are for a plain thread (whose actions run after it ends),
     * and then lets the actions run. The JVM ignores an exception thrown by the handler; so does this.
     */
    private void reportUncaught(Throwable t) {
        try {
            getUncaughtExceptionHandler().uncaughtException(this, t);
        } catch (Throwable ignored) {
            // as Thread.dispatchUncaughtException: nothing is left to tell
        }
    }

    /**
     * Returns the OS thread id, waiting for the thread to record it if it has just been started.
     *
     * @return the Linux TID
     * @throws IllegalStateException if the thread has not been started or has terminated
     */
    public int tid() {
        if (getState() == State.NEW) {
            throw new IllegalStateException("thread \"" + getName() + "\" has not been started");
        }
        awaitReady();
        if (!isAlive()) {
            throw new IllegalStateException("thread \"" + getName() + "\" has terminated");
        }
        return tid;
    }

    /** Waits until the settings are applied (or failed to apply). */
    void awaitReady() {
        boolean interrupted = false;
        while (true) {
            try {
                ready.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return why the settings could not be applied, or null */
    RuntimeException startFailure() {
        return startFailure;
    }
}
