package io.ft4j.atomic;

import io.ft4j.internal.util.Checks;
import io.ft4j.internal.wait.Backoff;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;

/**
 * An object reference updated atomically and padded against false sharing: the operations and names of
 * {@link java.util.concurrent.atomic.AtomicReference}, with each instance alone on its cache lines, so that a hot
 * reference does not slow down the threads that update the objects allocated next to it. The design follows the
 * {@code AtomicReference} of ft_utils, a library for free-threaded Python. The name differs from the JDK's class so
 * that both can be imported in one file. The reference may be null. Comparisons are by <b>identity</b>
 * ({@code ==}), never {@code equals}, as in {@link java.util.concurrent.atomic.AtomicReference}.
 *
 * <pre>{@code
 * PaddedAtomicReference<Config> current = new PaddedAtomicReference<>(initial);
 * Config old = current.getAndSet(next);                    // swap in one step
 * current.updateAndGet(c -> c.withTimeout(30));           // retried, with backoff, until it wins
 * }</pre>
 *
 * <p>Unless its name says otherwise, every method has volatile semantics; the named variants have exactly the
 * effects of the {@link java.lang.invoke.VarHandle} access mode of the same name (see the package documentation).
 * Storing a reference with {@link #set}, {@link #setRelease} or a successful CAS <em>publishes</em> it: a thread that
 * reads it with {@link #get} or {@link #getAcquire} also sees every write made to the object before it was stored.
 *
 * @param <V> the type of the referenced object
 */
/*
 * Design notes
 *
 * Algorithm. The reference slot of a PaddedCell (128 bytes of padding on each side) accessed through its VarHandle.
 * getAndSet is the VarHandle's (XCHG); compareAndSet/compareAndExchange are the VarHandle CAS, which compares
 * references by identity (as ft_utils' `is` does). updateAndGet/accumulateAndGet run a CAS loop that backs off
 * exponentially after each failure (internal.wait.Backoff), like PaddedAtomicLong's.
 *
 * Linearization points. Loads and stores: the access. getAndSet: the XCHG. CAS: the CAS, successful or not. Updates:
 * the successful CAS in `update`.
 *
 * Contention. getAndSet is wait-free; updates are lock-free; backoff keeps a losing thread from stealing the cache line
 * from the winner. ft_utils needs a load-and-incref loop to read safely under concurrent exchange (CPython reference
 * counting); the JVM's garbage collector makes a plain volatile load safe, so there is nothing to port there.
 */
public final class PaddedAtomicReference<V> extends PaddedCell {
    /** Creates a reference holding {@code null}. */
    public PaddedAtomicReference() {}

    /**
     * Creates a reference holding {@code initial}.
     *
     * @param initial the starting reference, may be null
     */
    public PaddedAtomicReference(V initial) {
        REF.set(this, initial);
    }

    /**
     * Returns the reference, with volatile semantics.
     *
     * @return the reference
     */
    @SuppressWarnings("unchecked")
    public V get() {
        return (V) REF.getVolatile(this);
    }

    /**
     * Sets the reference, with volatile semantics.
     *
     * @param newValue the new reference, may be null
     */
    public void set(V newValue) {
        REF.setVolatile(this, newValue);
    }

    /**
     * Returns the reference with acquire semantics; pairs with {@link #setRelease(Object)}.
     *
     * @return the reference
     */
    @SuppressWarnings("unchecked")
    public V getAcquire() {
        return (V) REF.getAcquire(this);
    }

    /**
     * Sets the reference with release semantics: a thread that reads it with {@link #getAcquire()} sees everything
     * this thread wrote before.
     *
     * @param newValue the new reference, may be null
     */
    public void setRelease(V newValue) {
        REF.setRelease(this, newValue);
    }

    /**
     * Returns the reference in opaque mode (atomic and coherent, no ordering against other variables).
     *
     * @return the reference
     */
    @SuppressWarnings("unchecked")
    public V getOpaque() {
        return (V) REF.getOpaque(this);
    }

    /**
     * Sets the reference in opaque mode.
     *
     * @param newValue the new reference, may be null
     */
    public void setOpaque(V newValue) {
        REF.setOpaque(this, newValue);
    }

    /**
     * Returns the reference as an ordinary field read; for single-threaded phases only.
     *
     * @return the reference
     */
    @SuppressWarnings("unchecked")
    public V getPlain() {
        return (V) REF.get(this);
    }

    /**
     * Sets the reference as an ordinary field write; for single-threaded phases only.
     *
     * @param newValue the new reference, may be null
     */
    public void setPlain(V newValue) {
        REF.set(this, newValue);
    }

    /**
     * Sets the reference and returns the one it replaced, in one atomic step.
     *
     * @param newValue the new reference, may be null
     * @return the previous reference
     */
    @SuppressWarnings("unchecked")
    public V getAndSet(V newValue) {
        return (V) REF.getAndSet(this, newValue);
    }

    /**
     * Sets the reference to {@code newValue} if the current one is {@code expected} (identity, {@code ==}).
     *
     * @param expected the reference the caller believes is current
     * @param newValue the reference to store if it is
     * @return true if the exchange happened
     */
    public boolean compareAndSet(V expected, V newValue) {
        return REF.compareAndSet(this, expected, newValue);
    }

    /**
     * Sets the reference to {@code newValue} if the current one is {@code expected} (identity), and returns the
     * reference seen: the exchange happened if and only if the result {@code == expected}.
     *
     * @param expected the reference the caller believes is current
     * @param newValue the reference to store if it is
     * @return the reference before the call (the witness)
     */
    @SuppressWarnings("unchecked")
    public V compareAndExchange(V expected, V newValue) {
        return (V) REF.compareAndExchange(this, expected, newValue);
    }

    /**
     * Sets the reference to {@code newValue} if the current one is {@code expected} (identity), and returns the
     * reference seen, as {@link #compareAndExchange} does but with acquire semantics on the read and plain semantics
     * on the write.
     *
     * @param expected the reference the caller believes is current
     * @param newValue the reference to store if it is
     * @return the reference before the call
     */
    @SuppressWarnings("unchecked")
    public V compareAndExchangeAcquire(V expected, V newValue) {
        return (V) REF.compareAndExchangeAcquire(this, expected, newValue);
    }

    /**
     * Sets the reference to {@code newValue} if the current one is {@code expected} (identity), and returns the
     * reference seen, as {@link #compareAndExchange} does but with release semantics on the write and plain semantics
     * on the read.
     *
     * @param expected the reference the caller believes is current
     * @param newValue the reference to store if it is
     * @return the reference before the call
     */
    @SuppressWarnings("unchecked")
    public V compareAndExchangeRelease(V expected, V newValue) {
        return (V) REF.compareAndExchangeRelease(this, expected, newValue);
    }

    /**
     * Possibly sets the reference to {@code newValue} if the current one is {@code expected} (identity), with
     * volatile semantics. It may fail spuriously (even when the current reference is {@code expected}).
     *
     * @param expected the reference the caller believes is current
     * @param newValue the reference to store if it is
     * @return true if the reference was set
     */
    public boolean weakCompareAndSetVolatile(V expected, V newValue) {
        return REF.weakCompareAndSet(this, expected, newValue);
    }

    /**
     * Applies {@code function} to the current reference and stores the result in one atomic step, retrying with
     * backoff under contention; returns the previous reference. The function may run more than once and must be
     * free of side effects.
     *
     * @param function the update
     * @return the previous reference
     * @throws NullPointerException if {@code function} is null
     */
    public V getAndUpdate(UnaryOperator<V> function) {
        return update(Checks.requireNonNull(function, "function"), null, null, false);
    }

    /**
     * Applies {@code function} to the current reference and stores the result in one atomic step, retrying with
     * backoff under contention; returns the new reference. The function may run more than once and must be free of
     * side effects.
     *
     * @param function the update
     * @return the new reference
     * @throws NullPointerException if {@code function} is null
     */
    public V updateAndGet(UnaryOperator<V> function) {
        return update(Checks.requireNonNull(function, "function"), null, null, true);
    }

    /**
     * Stores {@code function(current, x)} in one atomic step, retrying with backoff under contention; returns the
     * previous reference. The function may run more than once and must be free of side effects.
     *
     * @param x the second operand
     * @param function the accumulator
     * @return the previous reference
     * @throws NullPointerException if {@code function} is null
     */
    public V getAndAccumulate(V x, BinaryOperator<V> function) {
        return update(null, Checks.requireNonNull(function, "function"), x, false);
    }

    /**
     * Stores {@code function(current, x)} in one atomic step, retrying with backoff under contention; returns the
     * new reference. The function may run more than once and must be free of side effects.
     *
     * @param x the second operand
     * @param function the accumulator
     * @return the new reference
     * @throws NullPointerException if {@code function} is null
     */
    public V accumulateAndGet(V x, BinaryOperator<V> function) {
        return update(null, Checks.requireNonNull(function, "function"), x, true);
    }

    /**
     * Returns {@code String.valueOf(get())}.
     *
     * @return the current reference as a string
     */
    @Override
    public String toString() {
        return String.valueOf(get());
    }

    /* The one CAS loop; exactly one of `unary` and `binary` is non-null. The successful CAS linearizes. */
    @SuppressWarnings("unchecked")
    private V update(UnaryOperator<V> unary, BinaryOperator<V> binary, V x, boolean returnNew) {
        V prev = get();
        for (int failures = 0; ; ) {
            V next = unary != null ? unary.apply(prev) : binary.apply(prev, x);
            V witness = (V) REF.compareAndExchange(this, prev, next);
            if (witness == prev) {
                return returnNew ? next : prev;
            }
            failures = Backoff.pause(failures);
            prev = get();
        }
    }
}
