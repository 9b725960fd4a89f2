package io.ft4j.atomic;

import io.ft4j.internal.util.Checks;
import io.ft4j.internal.wait.Backoff;
import java.util.function.LongBinaryOperator;
import java.util.function.LongUnaryOperator;

/**
 * A 64-bit signed integer updated atomically, padded against false sharing: every ft_utils {@code AtomicInt64}
 * operation in Java form, with the JDK's memory-order vocabulary.
 *
 * <pre>{@code
 * AtomicInt64 hits = new AtomicInt64();
 * hits.incr();                       // from any number of threads
 * long before = hits.fetchAdd(10);   // returns the value before the add
 * hits.mulAndGet(3);                 // in-place multiply, one atomic step
 * }</pre>
 *
 * <h2>Arithmetic</h2>
 * All arithmetic wraps on overflow exactly as Java's {@code long} does ({@code Long.MAX_VALUE + 1 == Long.MIN_VALUE});
 * nothing is range-checked. Division <b>floors</b> (rounds toward negative infinity) like Python's {@code //} and
 * {@link Math#floorDiv(long, long)}, not toward zero like Java's {@code /}: ft_utils' {@code //=} promises Python
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
 * getAndSet -> XCHG, compareAndExchange -> LOCK CMPXCHG). fetchOr/And/Xor use getAndBitwiseOr/And/Xor: one atomic
 * step, no lambda, no allocation (HotSpot implements them as a CAS loop inside the JDK on x86). Multiply, floor-divide
 * and the user-function updates have no hardware form: they run a CAS loop, `update`, that backs off exponentially
 * (internal.wait.Backoff) after each failed CAS.
 *
 * Linearization points. Loads and stores: the access itself. getAndAdd/getAndSet/getAndBitwise*: the atomic
 * instruction. CAS-loop operations: the successful compareAndExchange in `update`. compareAndSet and
 * compareExchange: the CAS, whether it succeeds or fails (a failed CAS linearizes as a read of the witness).
 *
 * Contention. getAndAdd never fails, so incr/fetchAdd are wait-free. CAS-loop operations are lock-free: a failed CAS
 * means another thread's succeeded. Backoff trades a little latency for much less cache-line traffic when two or more
 * threads hammer one counter; uncontended, the first CAS succeeds and no backoff code runs.
 *
 * Not provided. The non-mutating binary operators of ft_utils (a + 1, a * 2, ...) are `get()` followed by ordinary
 * Java arithmetic and need no method.
 */
public final class AtomicInt64 extends PaddedCell {
    private static final int MUL = 0;
    private static final int FLOOR_DIV = 1;
    private static final int UNARY = 2;
    private static final int BINARY = 3;

    /** Creates a counter holding {@code 0}. */
    public AtomicInt64() {}

    /**
     * Creates a counter holding {@code initial}.
     *
     * @param initial the starting value
     */
    public AtomicInt64(long initial) {
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
    // Add and subtract: one atomic instruction, wait-free

    /**
     * Adds one and returns the new value (as ft_utils' {@code incr()} does).
     *
     * @return the value after the increment
     */
    public long incr() {
        return (long) VALUE.getAndAdd(this, 1L) + 1L;
    }

    /**
     * Subtracts one and returns the new value.
     *
     * @return the value after the decrement
     */
    public long decr() {
        return (long) VALUE.getAndAdd(this, -1L) - 1L;
    }

    /**
     * Adds {@code delta} and returns the value before the addition.
     *
     * @param delta the amount to add (may be negative)
     * @return the previous value
     */
    public long fetchAdd(long delta) {
        return (long) VALUE.getAndAdd(this, delta);
    }

    /**
     * Adds {@code delta} and returns the new value (ft_utils' {@code +=}).
     *
     * @param delta the amount to add (may be negative)
     * @return the value after the addition
     */
    public long addAndGet(long delta) {
        return (long) VALUE.getAndAdd(this, delta) + delta;
    }

    /**
     * Subtracts {@code delta} and returns the value before the subtraction.
     *
     * @param delta the amount to subtract
     * @return the previous value
     */
    public long fetchSub(long delta) {
        return (long) VALUE.getAndAdd(this, -delta);
    }

    /**
     * Subtracts {@code delta} and returns the new value (ft_utils' {@code -=}).
     *
     * @param delta the amount to subtract
     * @return the value after the subtraction
     */
    public long subAndGet(long delta) {
        return (long) VALUE.getAndAdd(this, -delta) - delta;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Multiply and floor-divide: CAS loop with backoff

    /**
     * Multiplies by {@code factor} in one atomic step and returns the value before.
     *
     * @param factor the multiplier
     * @return the previous value
     */
    public long fetchMul(long factor) {
        return update(MUL, factor, null, false);
    }

    /**
     * Multiplies by {@code factor} in one atomic step and returns the new value (ft_utils' {@code *=}).
     *
     * @param factor the multiplier
     * @return the product, wrapped to 64 bits
     */
    public long mulAndGet(long factor) {
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
    public long fetchFloorDiv(long divisor) {
        return update(FLOOR_DIV, requireNonZero(divisor), null, false);
    }

    /**
     * Floor-divides by {@code divisor} in one atomic step and returns the new value (ft_utils' {@code //=}). Rounds
     * toward negative infinity, as {@link Math#floorDiv(long, long)} and Python's {@code //} do:
     * {@code -7 // 2 == -4}.
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
     * ORs {@code mask} into the value in one atomic step and returns the value before (ft_utils' {@code |=}).
     *
     * @param mask the bits to set
     * @return the previous value
     */
    public long fetchOr(long mask) {
        return (long) VALUE.getAndBitwiseOr(this, mask);
    }

    /**
     * ANDs {@code mask} into the value in one atomic step and returns the value before (ft_utils' {@code &=}).
     *
     * @param mask the bits to keep
     * @return the previous value
     */
    public long fetchAnd(long mask) {
        return (long) VALUE.getAndBitwiseAnd(this, mask);
    }

    /**
     * XORs {@code mask} into the value in one atomic step and returns the value before (ft_utils' {@code ^=}).
     *
     * @param mask the bits to flip
     * @return the previous value
     */
    public long fetchXor(long mask) {
        return (long) VALUE.getAndBitwiseXor(this, mask);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Reads that compute: snapshots, no write

    /**
     * Returns the negated current value ({@code -x}); {@code Long.MIN_VALUE} negates to itself. Does not change the
     * value.
     *
     * @return {@code -get()}
     */
    public long neg() {
        return -get();
    }

    /**
     * Returns the absolute current value ({@code abs(x)}); {@code Long.MIN_VALUE} stays negative, as in
     * {@link Math#abs(long)}. Does not change the value.
     *
     * @return {@code Math.abs(get())}
     */
    public long abs() {
        return Math.abs(get());
    }

    /**
     * Returns the bitwise complement of the current value ({@code ~x}). Does not change the value.
     *
     * @return {@code ~get()}
     */
    public long invert() {
        return ~get();
    }

    /**
     * Compares the current value with {@code other} (ft_utils' {@code == != < <= > >=}).
     *
     * @param other the value to compare with
     * @return a negative number, zero or a positive number as the current value is less than, equal to or greater
     *     than {@code other}
     */
    public int compare(long other) {
        return Long.compare(get(), other);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Exchange and compare-and-set

    /**
     * Sets the value and returns the one it replaced, in one atomic step.
     *
     * @param newValue the new value
     * @return the previous value
     */
    public long exchange(long newValue) {
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
    public long compareExchange(long expected, long newValue) {
        return (long) VALUE.compareAndExchange(this, expected, newValue);
    }

    /**
     * {@link #compareExchange(long, long)} with acquire semantics on the read and plain semantics on the write.
     *
     * @param expected the value the caller believes is current
     * @param newValue the value to store if it is
     * @return the value before the call
     */
    public long compareExchangeAcquire(long expected, long newValue) {
        return (long) VALUE.compareAndExchangeAcquire(this, expected, newValue);
    }

    /**
     * {@link #compareExchange(long, long)} with release semantics on the write and plain semantics on the read.
     *
     * @param expected the value the caller believes is current
     * @param newValue the value to store if it is
     * @return the value before the call
     */
    public long compareExchangeRelease(long expected, long newValue) {
        return (long) VALUE.compareAndExchangeRelease(this, expected, newValue);
    }

    /**
     * May fail spuriously (even when the value equals {@code expected}); volatile semantics. For retry loops on
     * platforms where a weak CAS is cheaper (LL/SC).
     *
     * @param expected the value the caller believes is current
     * @param newValue the value to store if it is
     * @return true if the value was set
     */
    public boolean weakCompareAndSetVolatile(long expected, long newValue) {
        return VALUE.weakCompareAndSet(this, expected, newValue);
    }

    /**
     * May fail spuriously; acquire semantics.
     *
     * @param expected the value the caller believes is current
     * @param newValue the value to store if it is
     * @return true if the value was set
     */
    public boolean weakCompareAndSetAcquire(long expected, long newValue) {
        return VALUE.weakCompareAndSetAcquire(this, expected, newValue);
    }

    /**
     * May fail spuriously; release semantics.
     *
     * @param expected the value the caller believes is current
     * @param newValue the value to store if it is
     * @return true if the value was set
     */
    public boolean weakCompareAndSetRelease(long expected, long newValue) {
        return VALUE.weakCompareAndSetRelease(this, expected, newValue);
    }

    /**
     * May fail spuriously; plain semantics: atomic, but no ordering against other variables.
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
