package io.ft4j.thread;

import io.ft4j.internal.os.NativeThreads;
import io.ft4j.internal.os.Os;
import io.ft4j.internal.util.Checks;

/** Resolves a Java thread to the OS thread id the native layer needs, refusing what ft4j cannot control. */
final class Threads {
    static final NativeThreads OS = Os.THREADS;

    private Threads() {}

    /**
     * @param thread the thread to control
     * @return 0 for the calling thread (the OS's own "this thread"), else the OS thread id
     */
    static int tidOf(Thread thread) {
        Checks.requireNonNull(thread, "thread");
        if (thread.isVirtual()) {
            throw new UnsupportedOperationException("virtual thread " + thread + ": it has no OS thread of its own "
                    + "(it runs on shared carrier threads), so it has no affinity, nice value or policy to set; "
                    + "run the work on a platform thread, e.g. one from ThreadBuilder");
        }
        if (thread == Thread.currentThread()) {
            return 0;
        }
        if (thread instanceof ControlledThread controlled) {
            return controlled.tid();
        }
        throw new UnsupportedOperationException("thread \"" + thread.getName() + "\": ft4j knows the OS thread id of "
                + "the calling thread and of threads built by ThreadBuilder only; call this from that thread, or "
                + "create it with ThreadBuilder");
    }

    static int currentTid() {
        return tidOf(Thread.currentThread());
    }
}
