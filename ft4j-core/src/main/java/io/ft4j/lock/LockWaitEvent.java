package io.ft4j.lock;

import io.ft4j.thread.ControlledThread;
import io.ft4j.thread.Scheduling;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/**
 * The JFR event {@code io.ft4j.LockWait}: a thread waited for an ft4j lock longer than the threshold (1 ms unless the
 * recording's settings say otherwise), with the lock's name, the owner when the wait began, and both threads'
 * priorities on the {@link Scheduling#rank} scale, read when the wait ended. JDK Mission Control and
 * {@code jfr print --events io.ft4j.LockWait} show a priority inversion where it happened.
 *
 * <p><b>Cost.</b> Only blocking slow paths create one, and without a recording that enables it, {@code begin},
 * {@code end} and {@code commit} are empty after JIT compilation; priorities are read (a few system calls) only for a
 * wait that is long enough to be recorded.
 */
@Name(LockWaitEvent.NAME)
@Label("ft4j Lock Wait")
@Category({"ft4j", "Locks"})
@Description("A thread waited for an ft4j lock longer than the threshold")
@Threshold("1 ms")
@StackTrace(true)
final class LockWaitEvent extends Event {
    /** The event's name in recordings. */
    static final String NAME = "io.ft4j.LockWait";
    /** A priority ft4j could not read (a thread not built by ThreadBuilder, another OS). */
    static final int UNKNOWN = -1;

    @Label("Lock")
    String lock;

    @Label("Mode")
    @Description("What the thread waited for: exclusive, read, write, or write (draining readers)")
    String mode;

    @Label("Owner")
    @Description("The thread that held the lock when the wait began")
    Thread owner;

    @Label("Owner Priority")
    @Description("The owner's own rank (Scheduling.rank, without a boost) when the wait ended; -1 if unknown")
    int ownerPriority;

    @Label("Waiter Priority")
    @Description("The waiting thread's rank, or the priority it asked for (-1 if unknown)")
    int waiterPriority;

    /**
     * Starts timing a wait. Returns null when no recording wants the event, so callers skip everything else.
     *
     * @param lock the lock's name
     * @param mode what is waited for: {@code "exclusive"}, {@code "read"}, ...
     * @param owner its owner now, or null
     * @param waiterPriority the waiter's priority, or {@link #UNKNOWN} to read the calling thread's rank
     */
    static LockWaitEvent begin(String lock, String mode, Thread owner, int waiterPriority) {
        LockWaitEvent e = new LockWaitEvent();
        if (!e.isEnabled()) {
            return null;
        }
        e.lock = lock;
        e.mode = mode;
        e.owner = owner;
        e.waiterPriority = waiterPriority;
        e.begin();
        return e;
    }

    /** Ends a wait started by {@link #begin(String, String, Thread, int)}; records it if it was long enough. */
    static void end(LockWaitEvent e) {
        if (e == null) {
            return;
        }
        e.end();
        if (e.shouldCommit()) { // long enough: only now pay for reading priorities
            e.ownerPriority = e.owner == null ? UNKNOWN : rankOf(e.owner);
            if (e.waiterPriority == UNKNOWN) {
                e.waiterPriority = rankOf(Thread.currentThread());
            }
            e.commit();
        }
    }

    /** @return the thread's rank, or {@link #UNKNOWN} where ft4j cannot read it */
    static int rankOf(Thread t) {
        if (!Scheduling.isSupported() || t.isVirtual()
                || (t != Thread.currentThread() && !(t instanceof ControlledThread && t.isAlive()))) {
            return UNKNOWN;
        }
        try {
            return Scheduling.rank(t);
        } catch (RuntimeException ended) {
            return UNKNOWN; // the owner ended meanwhile
        }
    }
}
