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
 * @param <T> the value type
 */
public final class CleanableThreadLocal<T> {
    private final Supplier<? extends T> initial;
    private final Consumer<? super T> cleanup;
    private final ThreadLocal<Slot<T>> slots = new ThreadLocal<>();

    private record Slot<T>(T value, ThreadExit.Registration registration) {}

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
        Slot<T> slot = slots.get();
        if (slot == null) {
            T value = Checks.requireNonNull(initial.get(), "initial value");
            slot = new Slot<>(value, ThreadExit.register(() -> cleanup.accept(value)));
            slots.set(slot);
        }
        return slot.value();
    }

    /**
     * Returns whether the calling thread has a value, without creating one.
     *
     * @return true if the calling thread has called {@link #get()} since its last {@link #remove()}
     */
    public boolean isPresent() {
        return slots.get() != null;
    }

    /**
     * Cleans up and forgets the calling thread's value now, if it has one; the next {@link #get()} makes a new one.
     * Once its cleanup has run, neither this object nor {@link ThreadExit} refers to the removed value.
     */
    public void remove() {
        Slot<T> slot = slots.get();
        if (slot != null) {
            slots.remove();
            if (slot.registration().unregister()) {
                cleanup.accept(slot.value());
            }
        }
    }
}
