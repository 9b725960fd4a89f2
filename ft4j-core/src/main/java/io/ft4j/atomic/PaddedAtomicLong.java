package io.ft4j.atomic;

import io.ft4j.internal.util.Checks;
import io.ft4j.internal.wait.Backoff;
import java.util.function.LongBinaryOperator;
import java.util.function.LongUnaryOperator;

/**
 * A {@code long} value updated atomically and padded against false sharing: the operations and names of
 * {@link java.util.concurrent.atomic.AtomicLong}, plus atomic multiply and floor division, with each instance alone on
 * its cache lines. Two {@code AtomicLong}s allocated together usually share a 64-byte line, so two threads that each
 * update their own counter still slow each other down; two {@code PaddedAtomicLong}s do not. The design follows the
 * {@code AtomicInt64} of ft_utils, a library for free-threaded Python.
 *
 * <pre>{@code
 * PaddedAtomicLong hits = new PaddedAtomicLong();
 * hits.incrementAndGet();             // from any number of threads
 * long before = hits.getAndAdd(10);   // returns the value before the add
 * hits.multiplyAndGet(3);             // in-place multiply, one atomic step
 * }</pre>
 *
 * <p>It is not a {@link Number} subclass (its superclass provides the padding), but it has {@code Number}'s views:
 * {@link #longValue()}, {@link #intValue()}, {@link #doubleValue()}, {@link #floatValue()}.
 *
 * <h2>Arithmetic</h2>
 * All arithmetic wraps on overflow exactly as Java's {@code long} does ({@code Long.MAX_VALUE + 1 == Long.MIN_VALUE});
 * nothing is range-checked. Division <b>floors</b> (rounds toward negative infinity) like Python's {@code //} and
 * {@link Math#floorDiv(long, long)}, not toward zero like Java's {@code /}: Python's {@code //=} promises that
 * semantics, code ported from Python expects {@code -7 // 2 == -4}, and the method names say "floorDiv" so a Java
 * reader is not surprised. The one overflow case, {@code Long.MIN_VALUE} floor-divided by {@code -1}, wraps to
 * {@code Long.MIN_VALUE}. Division by zero throws {@link ArithmeticException} and leaves the value unchanged.
 *
 * <h2>Memory ordering</h2>
 * Unless its name says otherwise, every method has volatile semantics ({@link java.lang.invoke.VarHandle#getVolatile},
 * {@link java.lang.invoke.VarHandle#setVolatile}; read-modify-writes are sequentially consistent). The explicitly named
 * variants ({@code getPlain}, {@code getOpaque}, {@code getAcquire}, {@code setRelease}, ...) have exactly the effects
 * of the VarHandle access mode of the same name; see the package documentation for how to pair them.
 */
/*
 * Design notes
 *
 * Algorithm. One long slot in a PaddedCell (128 bytes of padding on each side), accessed only through the cell's
 * VarHandle. Operations the hardware does in one instruction use the VarHandle's own atomic (getAndAdd -> LOCK XADD,
 * getAndSet -> XCHG, compareAndExchange -> LOCK CMPXCHG). getAndBitwiseOr/And/Xor use the VarHandle's
 * getAndBitwiseOr/And/Xor: one atomic step, no lambda, no allocation (HotSpot implements them as a CAS loop inside the
 * JDK on x86). Multiply, floor-divide and the user-function updates have no hardware form: they run a CAS loop,
 * `update`, that backs off exponentially (internal.wait.Backoff) after each failed CAS.
 *
 * Linearization points. Loads and stores: the access itself. getAndAdd/getAndSet/getAndBitwise*: the atomic
 * instruction. CAS-loop operations: the successful compareAndExchange in `update`. compareAndSet and
 * compareAndExchange: the CAS, whether it succeeds or fails (a failed CAS linearizes as a read of the witness).
 *
 * Contention. getAndAdd never fails, so incrementAndGet/getAndAdd are wait-free. CAS-loop operations are lock-free: a
 * failed CAS means another thread's succeeded. Backoff trades a little latency for much less cache-line traffic when
 * two or more threads hammer one counter; uncontended, the first CAS succeeds and no backoff code runs.
 *
 * Not provided. The non-mutating binary operators of ft_utils (a + 1, a * 2, ...) are `get()` followed by ordinary
 * Java arithmetic and need no method.
 */
public final class PaddedAtomicLong extends PaddedCell {
    private static final int MUL = 0;
    private static final int FLOOR_DIV = 1;
    private static final int UNARY = 2;
    private static final int BINARY = 3;

    /** Creates a counter holding {@code 0}. */
    public PaddedAtomicLong() {}

    /**
     * Creates a counter holding {@code initial}.
     *
     * @param initial the starting value
     */
    public PaddedAtomicLong(long initial) {
        VALUE.set(this, initial);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Loads and stores, in the four access modes

    /**
     * Returns the current value, with volatile semantics.
     *
     * @return the value
     */
    public long get() {
        return (long) VALUE.getVolatile(this);
    }

    /**
     * Sets the value, with volatile semantics.
     *
     * @param newValue the new value
     */
    public void set(long newValue) {
        VALUE.setVolatile(this, newValue);
    }

    /**
     * Returns the value with acquire semantics: no later load or store of this thread moves before it. Pairs with
     * {@link #setRelease(long)}.
     *
     * @return the value
     */
    public long getAcquire() {
        return (long) VALUE.getAcquire(this);
    }

    /**
     * Sets the value with release semantics: no earlier load or store of this thread moves after it, so a thread that
     * reads this value with {@link #getAcquire()} also sees everything written before.
     *
     * @param newValue the new value
     */
    public void setRelease(long newValue) {
        VALUE.setRelease(this, newValue);
    }

    /**
     * Returns the value in opaque mode: atomic, coherent per variable, never hoisted out of a loop, but with no
     * ordering against other variables.
     *
     * @return the value
     */
    public long getOpaque() {
        return (long) VALUE.getOpaque(this);
    }

    /**
     * Sets the value in opaque mode: eventually visible to opaque or stronger reads, with no ordering against other
     * variables.
     *
     * @param newValue the new value
     */
    public void setOpaque(long newValue) {
        VALUE.setOpaque(this, newValue);
    }

    /**
     * Returns the value as an ordinary field read: no atomicity or visibility promise under concurrent writes. For
     * single-threaded phases (set-up, after a join) only.
     *
     * @return the value
     */
    public long getPlain() {
        return (long) VALUE.get(this);
    }

    /**
     * Sets the value as an ordinary field write: no visibility promise to other threads without a later
     * synchronization action. For single-threaded phases only.
     *
     * @param newValue the new value
     */
    public void setPlain(long newValue) {
        VALUE.set(this, newValue);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Increment, decrement and add: one atomic instruction, wait-free

    /**
     * Adds one and returns the new value, as {@link java.util.concurrent.atomic.AtomicLong#incrementAndGet()} does.
     *
     * @return the value after the increment
     */
    public long incrementAndGet() {
        return (long) VALUE.getAndAdd(this, 1L) + 1L;
    }

    /**
     * Subtracts one and returns the new value.
     *
     * @return the value after the decrement
     */
    public long decrementAndGet() {
        return (long) VALUE.getAndAdd(this, -1L) - 1L;
    }

    /**
     * Adds one and returns the value before the increment.
     *
     * @return the previous value
     */
    public long getAndIncrement() {
        return (long) VALUE.getAndAdd(this, 1L);
    }

    /**
     * Subtracts one and returns the value before the decrement.
     *
     * @return the previous value
     */
    public long getAndDecrement() {
        return (long) VALUE.getAndAdd(this, -1L);
    }

    /**
     * Adds {@code delta} and returns the value before the addition. To subtract, pass {@code -delta}: the result is
     * the same for every {@code long}, {@code Long.MIN_VALUE} included, because addition wraps.
     *
     * @param delta the amount to add (may be negative)
     * @return the previous value
     */
    public long getAndAdd(long delta) {
        return (long) VALUE.getAndAdd(this, delta);
    }

    /**
     * Adds {@code delta} and returns the new value. To subtract, pass {@code -delta}.
     *
     * @param delta the amount to add (may be negative)
     * @return the value after the addition
     */
    public long addAndGet(long delta) {
        return (long) VALUE.getAndAdd(this, delta) + delta;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Multiply and floor-divide: CAS loop with backoff

    /**
     * Multiplies by {@code factor} in one atomic step and returns the value before. The product wraps to 64 bits.
     *
     * @param factor the multiplier
     * @return the previous value
     */
    public long getAndMultiply(long factor) {
        return update(MUL, factor, null, false);
    }

    /**
     * Multiplies by {@code factor} in one atomic step and returns the new value.
     *
     * @param factor the multiplier
     * @return the product, wrapped to 64 bits
     */
    public long multiplyAndGet(long factor) {
        return update(MUL, factor, null, true);
    }

    /**
     * Floor-divides by {@code divisor} in one atomic step and returns the value before.
     *
     * @param divisor the divisor
     * @return the previous value
     * @throws ArithmeticException if {@code divisor} is zero; the value is left unchanged
     * @see #floorDivAndGet(long)
     */
    public long getAndFloorDiv(long divisor) {
        return update(FLOOR_DIV, requireNonZero(divisor), null, false);
    }

    /**
     * Floor-divides by {@code divisor} in one atomic step and returns the new value. Rounds toward negative infinity,
     * as {@link Math#floorDiv(long, long)} does: -7 floor-divided by 2 is -4.
     *
     * @param divisor the divisor
     * @return the quotient, floored
     * @throws ArithmeticException if {@code divisor} is zero; the value is left unchanged
     */
    public long floorDivAndGet(long divisor) {
        return update(FLOOR_DIV, requireNonZero(divisor), null, true);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Bitwise: VarHandle getAndBitwise*, one atomic step

    /**
     * ORs {@code mask} into the value in one atomic step and returns the value before.
     *
     * @param mask the bits to set
     * @return the previous value
     */
    public long getAndBitwiseOr(long mask) {
        return (long) VALUE.getAndBitwiseOr(this, mask);
    }

    /**
     * ANDs {@code mask} into the value in one atomic step and returns the value before.
     *
     * @param mask the bits to keep
     * @return the previous value
     */
    public long getAndBitwiseAnd(long mask) {
        return (long) VALUE.getAndBitwiseAnd(this, mask);
    }

    /**
     * XORs {@code mask} into the value in one atomic step and returns the value before.
     *
     * @param mask the bits to flip
     * @return the previous value
     */
    public long getAndBitwiseXor(long mask) {
        return (long) VALUE.getAndBitwiseXor(this, mask);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Exchange and compare-and-set

    /**
     * Sets the value and returns the one it replaced, in one atomic step.
     *
     * @param newValue the new value
     * @return the previous value
     */
    public long getAndSet(long newValue) {
        return (long) VALUE.getAndSet(this, newValue);
    }

    /**
     * Sets the value to {@code newValue} if it equals {@code expected}.
     *
     * @param expected the value the caller believes is current
     * @param newValue the value to store if it is
     * @return true if the value was {@code expected} and is now {@code newValue}
     */
    public boolean compareAndSet(long expected, long newValue) {
        return VALUE.compareAndSet(this, expected, newValue);
    }

    /**
     * Sets the value to {@code newValue} if it equals {@code expected}, and returns the value seen (the "witness").
     * The exchange happened if and only if the witness equals {@code expected}. A failed call hands back the current
     * value, saving the re-read a {@code compareAndSet} loop needs.
     *
     * @param expected the value the caller believes is current
     * @param newValue the value to store if it is
     * @return the value before the call
     */
    public long compareAndExchange(long expected, long newValue) {
        return (long) VALUE.compareAndExchange(this, expected, newValue);
    }

    /**
     * Sets the value to {@code newValue} if it equals {@code expected}, and returns the value seen, as
     * {@link #compareAndExchange(long, long)} does but with acquire semantics on the read and plain semantics on the
     * write.
     *
     * @param expected the value the caller believes is current
     * @param newValue the value to store if it is
     * @return the value before the call
     */
    public long compareAndExchangeAcquire(long expected, long newValue) {
        return (long) VALUE.compareAndExchangeAcquire(this, expected, newValue);
    }

    /**
     * Sets the value to {@code newValue} if it equals {@code expected}, and returns the value seen, as
     * {@link #compareAndExchange(long, long)} does but with release semantics on the write and plain semantics on the
     * read.
     *
     * @param expected the value the caller believes is current
     * @param newValue the value to store if it is
     * @return the value before the call
     */
    public long compareAndExchangeRelease(long expected, long newValue) {
        return (long) VALUE.compareAndExchangeRelease(this, expected, newValue);
    }

    /**
     * Possibly sets the value to {@code newValue} if it equals {@code expected}, with volatile semantics. It may fail
     * spuriously (even when the value equals {@code expected}); for retry loops on platforms where a weak CAS is
     * cheaper (LL/SC).
     *
     * @param expected the value the caller believes is current
     * @param newValue the value to store if it is
     * @return true if the value was set
     */
    public boolean weakCompareAndSetVolatile(long expected, long newValue) {
        return VALUE.weakCompareAndSet(this, expected, newValue);
    }

    /**
     * Possibly sets the value to {@code newValue} if it equals {@code expected}, with acquire semantics. It may fail
     * spuriously.
     *
     * @param expected the value the caller believes is current
     * @param newValue the value to store if it is
     * @return true if the value was set
     */
    public boolean weakCompareAndSetAcquire(long expected, long newValue) {
        return VALUE.weakCompareAndSetAcquire(this, expected, newValue);
    }

    /**
     * Possibly sets the value to {@code newValue} if it equals {@code expected}, with release semantics. It may fail
     * spuriously.
     *
     * @param expected the value the caller believes is current
     * @param newValue the value to store if it is
     * @return true if the value was set
     */
    public boolean weakCompareAndSetRelease(long expected, long newValue) {
        return VALUE.weakCompareAndSetRelease(this, expected, newValue);
    }

    /**
     * Possibly sets the value to {@code newValue} if it equals {@code expected}, with plain semantics: atomic, but no
     * ordering against other variables. It may fail spuriously.
     *
     * @param expected the value the caller believes is current
     * @param newValue the value to store if it is
     * @return true if the value was set
     */
    public boolean weakCompareAndSetPlain(long expected, long newValue) {
        return VALUE.weakCompareAndSetPlain(this, expected, newValue);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Updates with a user function: CAS loop with backoff

    /**
     * Applies {@code function} to the current value and stores the result, in one atomic step; returns the value
     * before. Under contention the function may run more than once, so it must be free of side effects.
     *
     * @param function the update
     * @return the previous value
     * @throws NullPointerException if {@code function} is null
     */
    public long getAndUpdate(LongUnaryOperator function) {
        return update(UNARY, 0L, requireFunction(function), false);
    }

    /**
     * Applies {@code function} to the current value and stores the result, in one atomic step; returns the new
     * value. Under contention the function may run more than once, so it must be free of side effects.
     *
     * @param function the update
     * @return the new value
     * @throws NullPointerException if {@code function} is null
     */
    public long updateAndGet(LongUnaryOperator function) {
        return update(UNARY, 0L, requireFunction(function), true);
    }

    /**
     * Stores {@code function(current, x)} in one atomic step; returns the value before. Under contention the function
     * may run more than once, so it must be free of side effects.
     *
     * @param x the second operand
     * @param function the accumulator
     * @return the previous value
     * @throws NullPointerException if {@code function} is null
     */
    public long getAndAccumulate(long x, LongBinaryOperator function) {
        return update(BINARY, x, requireFunction(function), false);
    }

    /**
     * Stores {@code function(current, x)} in one atomic step; returns the new value. Under contention the function
     * may run more than once, so it must be free of side effects.
     *
     * @param x the second operand
     * @param function the accumulator
     * @return the new value
     * @throws NullPointerException if {@code function} is null
     */
    public long accumulateAndGet(long x, LongBinaryOperator function) {
        return update(BINARY, x, requireFunction(function), true);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Number-style views, as AtomicLong has

    /**
     * Returns the current value, with volatile semantics; the same as {@link #get()}.
     *
     * @return the value
     */
    public long longValue() {
        return get();
    }

    /**
     * Returns the current value narrowed to an {@code int} (its low 32 bits), with volatile semantics.
     *
     * @return {@code (int) get()}
     */
    public int intValue() {
        return (int) get();
    }

    /**
     * Returns the current value widened to a {@code double}, with volatile semantics.
     *
     * @return {@code (double) get()}
     */
    public double doubleValue() {
        return (double) get();
    }

    /**
     * Returns the current value widened to a {@code float}, with volatile semantics.
     *
     * @return {@code (float) get()}
     */
    public float floatValue() {
        return (float) get();
    }

    /**
     * Returns the current value in decimal.
     *
     * @return {@code Long.toString(get())}
     */
    @Override
    public String toString() {
        return Long.toString(get());
    }

    // ---------------------------------------------------------------------------------------------------------------

    /*
     * The one CAS loop. `op` is a constant at every call site, so once this is inlined the JIT folds the switch to
     * the single arithmetic operation; `fn` is only read for UNARY and BINARY. The successful compareAndExchange is
     * the linearization point.
     */
    private long update(int op, long operand, Object fn, boolean returnNew) {
        long prev = get();
        for (int failures = 0; ; ) {
            long next = switch (op) {
                case MUL -> prev * operand;
                case FLOOR_DIV -> Math.floorDiv(prev, operand);
                case UNARY -> ((LongUnaryOperator) fn).applyAsLong(prev);
                default -> ((LongBinaryOperator) fn).applyAsLong(prev, operand);
            };
            long witness = (long) VALUE.compareAndExchange(this, prev, next);
            if (witness == prev) {
                return returnNew ? next : prev;
            }
            failures = Backoff.pause(failures);
            prev = get();
        }
    }

    private static long requireNonZero(long divisor) {
        if (divisor == 0L) {
            throw new ArithmeticException("divisor: 0 (expected: != 0); the value was left unchanged");
        }
        return divisor;
    }

    private static Object requireFunction(Object function) {
        return Checks.requireNonNull(function, "function");
    }
}
