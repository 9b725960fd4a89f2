package io.ft4j.thread;

import io.ft4j.internal.util.Checks;

/**
 * A temporary setting of the thread that opened it, restored by {@link #close()}: the one owner check and
 * close-once rule behind {@link Affinity.Scope} and {@link Scheduling.Scope}.
 */
abstract class ThreadScope implements AutoCloseable {
    private final Thread owner;
    private final String what;
    private boolean closed;

    ThreadScope(String what) {
        this.owner = Thread.currentThread();
        this.what = what;
    }

    /** Puts the saved setting back; runs at most once, on the owner thread. */
    abstract void restore();

    /**
     * Restores the setting saved when the scope was opened. Idempotent.
     *
     * @throws IllegalStateException if called from another thread than the one that opened the scope
     * @throws ThreadControlException if the OS refuses to restore the setting
     */
    @Override
    public void close() {
        Checks.requireState(Thread.currentThread() == owner,
                "a " + what + " scope must be closed by the thread that opened it (" + owner.getName() + ")");
        if (!closed) {
            closed = true;
            restore();
        }
    }
}
