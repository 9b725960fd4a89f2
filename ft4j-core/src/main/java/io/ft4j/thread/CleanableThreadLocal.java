package io.ft4j.thread;

import io.ft4j.internal.util.Checks;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A thread-local variable, like {@link ThreadLocal}, with a cleanup action that runs when the thread ends (through
 * {@link ThreadExit}) or when the value is removed: native buffers, connections, per-thread files.
 *
 * <pre>{@code
 * static final CleanableThreadLocal<Arena> ARENA = CleanableThreadLocal.withInitial(Arena::ofShared, Arena::close);
 * MemorySegment buf = ARENA.get().allocate(4096);   // closed when this thread ends
 * }</pre>
 *
 * <p>The cleanup runs exactly once per created value: on {@link #remove()}, or after the thread ends (on the thread
 * itself for {@link ControlledThread}, otherwise on ft4j's watcher within the bound {@link ThreadExit} states).
 * A removed value is no longer referenced by ft4j, so a long-lived thread (a pool worker) may create and remove values
 * any number of times and keeps only its current one reachable.
 *
 * <p>On a {@link ControlledThread}, whose exit cleanups run on the thread itself, a value is forgotten as its cleanup
 * starts: a {@link #get()} from the cleanup itself or from a later exit action makes a fresh value (never one already
 * cleaned), whose cleanup then runs too, after the exit actions already registered.
 *
 * <p>A thread whose thread-locals are erased between tasks ({@link java.util.concurrent.ForkJoinPool#commonPool()}
 * workers are) loses its value with them, but not the value's cleanup: that runs when the thread ends, and until then
 * the value stays reachable. On such threads, {@link #remove()} the value before the task returns.
 *
 * @param <T> the value type
 */
/*
 * Each value lives in a Slot, which is also its exit cleanup (the Runnable registered with ThreadExit) and holds the
 * Registration, so that remove() can withdraw it. Exactly one of remove() (a successful unregister) and the exit run
 * (the claim) cleans a value, by ThreadExit's contract.
 *
 * The exit cleanup runs on the owner only on a ControlledThread (ThreadExit runs every other thread's actions on a
 * watcher or on its exit hook, after the owner terminated). There the slot is still set while the thread's actions
 * run, so the cleanup marks it cleaned before cleaning: get(), isPresent() and remove() treat a cleaned slot as no
 * slot, and get() replaces it with a fresh value whose cleanup it registers; ThreadExit runs that one too, since the
 * thread's list is still being run. The mark is a plain field: only the owner reads it, and on the owner it was
 * written by the same thread; a watcher's write is read by nobody. A Slot refers neither to its ThreadLocal nor to
 * this object, so a dropped CleanableThreadLocal's entries go stale as a ThreadLocal's do.
 */
public final class CleanableThreadLocal<T> {
    private final Supplier<? extends T> initial;
    private final Consumer<? super T> cleanup;
    private final ThreadLocal<Slot<T>> slots = new ThreadLocal<>();

    /** A thread's value and its registered exit cleanup. */
    private static final class Slot<T> implements Runnable {
        private final T value;
        private final Consumer<? super T> cleanup;
        /* Set once, by the owner, right after registering; read by the owner only (remove). */
        private ThreadExit.Registration registration;
        /* Set by the exit cleanup before it cleans; read by the owner only. */
        private boolean cleaned;

        Slot(T value, Consumer<? super T> cleanup) {
            this.value = value;
            this.cleanup = cleanup;
        }

        /** The exit cleanup. */
        @Override
        public void run() {
            cleaned = true; // first: a get() from the cleanup itself makes a fresh value
            cleanup.accept(value);
        }
    }

    /** Returns the calling thread's slot, or null if it has none or only one whose exit cleanup has run. */
    private Slot<T> liveSlot() {
        Slot<T> slot = slots.get();
        return slot == null || slot.cleaned ? null : slot;
    }

    private CleanableThreadLocal(Supplier<? extends T> initial, Consumer<? super T> cleanup) {
        this.initial = initial;
        this.cleanup = cleanup;
    }

    /**
     * Creates a thread-local variable whose values come from {@code initial} and are released by {@code cleanup}.
     *
     * @param <T> the value type
     * @param initial creates a thread's value on its first {@link #get()}; must not return null
     * @param cleanup releases a value; runs once per value created
     * @return the thread-local
     * @throws NullPointerException if {@code initial} or {@code cleanup} is null
     */
    public static <T> CleanableThreadLocal<T> withInitial(Supplier<? extends T> initial, Consumer<? super T> cleanup) {
        return new CleanableThreadLocal<>(Checks.requireNonNull(initial, "initial"),
                Checks.requireNonNull(cleanup, "cleanup"));
    }

    /**
     * Returns the calling thread's value, creating it on first use and registering its cleanup.
     *
     * @return the calling thread's value
     * @throws NullPointerException if the initial supplier returns null
     */
    public T get() {
        Slot<T> slot = liveSlot();
        if (slot == null) {
            slot = new Slot<>(Checks.requireNonNull(initial.get(), "initial value"), cleanup);
            slot.registration = ThreadExit.register(slot);
            slots.set(slot);
        }
        return slot.value;
    }

    /**
     * Returns whether the calling thread has a value, without creating one.
     *
     * @return true if the calling thread has called {@link #get()} since its last {@link #remove()}, and that value's
     *     exit cleanup has not started
     */
    public boolean isPresent() {
        return liveSlot() != null;
    }

    /**
     * Cleans up and forgets the calling thread's value now, if it has one; the next {@link #get()} makes a new one.
     * Once its cleanup has run, neither this object nor {@link ThreadExit} refers to the removed value.
     */
    public void remove() {
        Slot<T> slot = slots.get();
        if (slot != null) {
            slots.remove(); // a cleaned slot too: its unregister fails below, and nothing is cleaned twice
            if (slot.registration.unregister()) {
                cleanup.accept(slot.value);
            }
        }
    }
}
