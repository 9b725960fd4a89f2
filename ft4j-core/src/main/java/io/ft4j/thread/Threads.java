package io.ft4j.thread;

import io.ft4j.internal.os.NativeThreads;
import io.ft4j.internal.os.Os;
import io.ft4j.internal.os.OsCallException;
import io.ft4j.internal.util.Checks;
import java.lang.foreign.MemorySegment;
import java.util.function.Supplier;

/** Resolves a Java thread to the OS thread id the native layer needs, refusing what ft4j cannot control. */
final class Threads {
    /** The native layer, its refusals turned into {@link ThreadControlException}s with advice. */
    static final NativeThreads OS = new Translated(Os.THREADS);

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

    /** The native layer seen from the API: the same calls, each refusal rethrown as this package's exception. */
    private record Translated(NativeThreads os) implements NativeThreads {
        private static <T> T call(Supplier<T> call) {
            try {
                return call.get();
            } catch (OsCallException e) {
                throw new ThreadControlException(e);
            }
        }

        private static void run(Runnable call) {
            call(() -> {
                call.run();
                return null;
            });
        }

        @Override public boolean isSupported() { return os.isSupported(); }
        @Override public int currentCpu() { return os.currentCpu(); }
        @Override public int currentTid() { return os.currentTid(); }
        @Override public long[] getAffinity(int tid) { return call(() -> os.getAffinity(tid)); }
        @Override public void setAffinity(int tid, long[] mask) { run(() -> os.setAffinity(tid, mask)); }
        @Override public int getNice(int tid) { return call(() -> os.getNice(tid)); }
        @Override public void setNice(int tid, int nice) { run(() -> os.setNice(tid, nice)); }
        @Override public int[] getScheduler(int tid) { return call(() -> os.getScheduler(tid)); }
        @Override public void setScheduler(int tid, int policy, int priority) {
            run(() -> os.setScheduler(tid, policy, priority));
        }
        @Override public int kernelPriority(int tid) { return call(() -> os.kernelPriority(tid)); }
        @Override public int futexLockPi(MemorySegment word, boolean timed, long deadline) {
            return os.futexLockPi(word, timed, deadline);
        }
        @Override public int futexUnlockPi(MemorySegment word) { return os.futexUnlockPi(word); }
        @Override public void lockMemory(int flags) { run(() -> os.lockMemory(flags)); }
        @Override public void unlockMemory() { run(os::unlockMemory); }
        @Override public long timerSlack() { return call(os::timerSlack); }
        @Override public void setTimerSlack(long nanos) { run(() -> os.setTimerSlack(nanos)); }
        @Override public void sleepUntil(long deadline) { run(() -> os.sleepUntil(deadline)); }
        @Override public long monotonicNanos() { return os.monotonicNanos(); }
    }
}
