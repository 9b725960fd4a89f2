package io.ft4j.internal.os;

/** The stand-in where ft4j has no native thread control: every call throws UnsupportedOperationException. */
public final class UnsupportedThreads implements NativeThreads {
    private final String reason;

    /**
     * Creates the stand-in for an OS without thread control.
     *
     * @param reason why thread control is unavailable, put in every exception's message
     */
    public UnsupportedThreads(String reason) {
        this.reason = reason;
    }

    private UnsupportedOperationException refuse() {
        return new UnsupportedOperationException(reason + " (check isSupported() first)");
    }

    @Override public boolean isSupported() { return false; }
    @Override public int currentCpu() { throw refuse(); }
    @Override public int currentTid() { throw refuse(); }
    @Override public long[] getAffinity(int tid) { throw refuse(); }
    @Override public void setAffinity(int tid, long[] mask) { throw refuse(); }
    @Override public int getNice(int tid) { throw refuse(); }
    @Override public void setNice(int tid, int nice) { throw refuse(); }
    @Override public int[] getScheduler(int tid) { throw refuse(); }
    @Override public void setScheduler(int tid, int policy, int priority) { throw refuse(); }
    @Override public int kernelPriority(int tid) { throw refuse(); }
    @Override public int futexLockPi(java.lang.foreign.MemorySegment word, boolean timed, long deadline) {
        throw refuse();
    }
    @Override public int futexUnlockPi(java.lang.foreign.MemorySegment word) { throw refuse(); }
    @Override public void lockMemory(int flags) { throw refuse(); }
    @Override public void unlockMemory() { throw refuse(); }
    @Override public long timerSlack() { throw refuse(); }
    @Override public void setTimerSlack(long nanos) { throw refuse(); }
    @Override public void sleepUntil(long deadline) { throw refuse(); }
    @Override public long monotonicNanos() { throw refuse(); }
}
