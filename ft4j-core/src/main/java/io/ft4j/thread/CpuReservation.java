package io.ft4j.thread;

import java.util.List;

/**
 * A CPU, or a whole physical core, held by one thread alone: no other reservation of any {@link CpuPool} using the
 * same directory, in this JVM or another one on the machine, gets it until this one is released. Made by a
 * {@link CpuPool} ({@link CpuPool#reserveAny()}, {@link CpuPool#reserve(int)}, {@link CpuPool#reserveCore()},
 * {@link CpuPool#reserveNear(CpuReservation, Placement)}) or by {@link ThreadBuilder#reserveCpu(CpuPool)}.
 *
 * <pre>{@code
 * try (CpuReservation cpu = CpuPool.defaultPool().reserveAny()) {   // pins this thread to a CPU of its own
 *     runLatencyCriticalLoop();
 * }   // released, and the thread's previous CPU set restored
 * }</pre>
 *
 * <p>A reservation is released by {@link #close()}, or when the thread that made it ends (a {@link ThreadExit}
 * action), or when its process ends, however it ends: the lock the process holds on the CPU's lock file goes with
 * it, so even a process killed with {@code kill -9} leaves nothing that blocks the next one.
 */
public final class CpuReservation implements AutoCloseable {
    /** Where a CPU lies relative to one already reserved. */
    public enum Placement {
        /** An SMT sibling of the reserved CPU: shares its core and caches (a producer and its consumer). */
        SAME_CORE,
        /** Another core of the same package (socket): shares the last-level cache, not the core. */
        SAME_PACKAGE,
        /** Another core of the same NUMA node: local memory, not the same core. */
        SAME_NODE,
        /** A CPU on another physical core, so the two threads do not share a core's execution units. */
        OTHER_CORE
    }

    private final CpuPool pool;
    private final int cpu;
    private final CpuSet cpus;
    private final List<CpuPool.Slot> slots;
    private final Thread holder;
    /** The holder's CPU set before it was pinned; null if the pool does not bind. */
    private final CpuSet previousAffinity;
    private ThreadExit.Registration atExit;
    private boolean released; // guarded by this

    CpuReservation(CpuPool pool, int cpu, CpuSet cpus, List<CpuPool.Slot> slots, Thread holder,
            CpuSet previousAffinity) {
        this.pool = pool;
        this.cpu = cpu;
        this.cpus = cpus;
        this.slots = slots;
        this.holder = holder;
        this.previousAffinity = previousAffinity;
    }

    /** Called once, right after construction, by the reserving thread. */
    void releaseAtExit() {
        atExit = ThreadExit.register(() -> release(false));
    }

    /**
     * Returns the CPU the holding thread runs on (pinned there if the pool binds).
     *
     * @return the CPU number
     */
    public int cpu() {
        return cpu;
    }

    /**
     * Returns every CPU this reservation keeps from others: {@link #cpu()} alone, or the whole core for
     * {@link CpuPool#reserveCore()}.
     *
     * @return the reserved CPUs
     */
    public CpuSet cpus() {
        return cpus;
    }

    /**
     * Returns the thread that made the reservation.
     *
     * @return the holding thread
     */
    public Thread holder() {
        return holder;
    }

    /**
     * Returns the pool this reservation was made from.
     *
     * @return the pool
     */
    public CpuPool pool() {
        return pool;
    }

    /**
     * Returns whether the reservation is still held.
     *
     * @return false once it was closed or its thread ended
     */
    public synchronized boolean isHeld() {
        return !released;
    }

    /**
     * Releases the CPUs, so that other threads and processes may reserve them. Called on the holding thread, it also
     * restores the CPU set that thread had before the reservation pinned it; called on another thread, it leaves the
     * holder's CPU set alone. Idempotent.
     *
     * @throws ThreadControlException if the OS refuses to restore the holder's CPU set (the CPUs are released
     *     anyway)
     */
    @Override
    public void close() {
        if (release(true) && atExit != null) {
            atExit.unregister();
        }
    }

    /** @return whether this call released it */
    private boolean release(boolean restore) {
        synchronized (this) {
            if (released) {
                return false;
            }
            released = true;
        }
        try {
            if (restore && previousAffinity != null && Thread.currentThread() == holder) {
                Affinity.set(previousAffinity);
            }
        } finally {
            pool.release(slots);
        }
        return true;
    }

    /**
     * Returns a description such as {@code "CPU 3 reserved by thread \"feed\" (core 2-3)"}.
     *
     * @return the description
     */
    @Override
    public synchronized String toString() {
        return "CPU " + cpu + (released ? " released" : " reserved") + " by thread \"" + holder.getName() + "\""
                + (cpus.size() > 1 ? " (core " + cpus + ")" : "");
    }
}
