package io.ft4j.atomic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.LongBinaryOperator;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

class PaddedAtomicLongTest {

    @Test
    void constructorsAndLoadsAndStoresInEveryMode() {
        assertEquals(0L, new PaddedAtomicLong().get());
        PaddedAtomicLong a = new PaddedAtomicLong(42);
        assertEquals(42L, a.get());
        assertEquals(42L, a.getPlain());
        assertEquals(42L, a.getOpaque());
        assertEquals(42L, a.getAcquire());
        a.set(1);
        assertEquals(1L, a.get());
        a.setPlain(2);
        assertEquals(2L, a.getAcquire());
        a.setOpaque(3);
        assertEquals(3L, a.getOpaque());
        a.setRelease(4);
        assertEquals(4L, a.getPlain());
        assertEquals("4", a.toString());
    }

    @Test
    void incrAndDecrReturnTheNewValue() {
        PaddedAtomicLong a = new PaddedAtomicLong(10);
        assertEquals(11L, a.incrementAndGet());
        assertEquals(10L, a.decrementAndGet());
        assertEquals(9L, a.decrementAndGet());
        assertEquals(9L, a.get());
    }

    @Test
    void addIncrementAndDecrementReturnOldOrNewAsNamed() {
        PaddedAtomicLong a = new PaddedAtomicLong(5);
        assertEquals(5L, a.getAndAdd(3));
        assertEquals(8L, a.get());
        assertEquals(18L, a.addAndGet(10));
        assertEquals(18L, a.getAndAdd(-8));
        assertEquals(10L, a.get());
        assertEquals(-5L, a.addAndGet(-15));
        assertEquals(-5L, a.getAndIncrement());
        assertEquals(-4L, a.get());
        assertEquals(-4L, a.getAndDecrement());
        assertEquals(-5L, a.get());
        assertEquals(-6L, a.decrementAndGet());
        assertEquals(-5L, a.incrementAndGet());
    }

    @Test
    void numberViewsReadTheValue() {
        PaddedAtomicLong a = new PaddedAtomicLong((1L << 32) + 7);
        assertEquals((1L << 32) + 7, a.longValue());
        assertEquals(7, a.intValue());
        assertEquals((double) ((1L << 32) + 7), a.doubleValue());
        assertEquals((float) ((1L << 32) + 7), a.floatValue());
        a.set(-3);
        assertEquals(-3, a.intValue());
        assertEquals(-3.0, a.doubleValue());
    }

    @Test
    void overflowWrapsLikeLong() {
        PaddedAtomicLong a = new PaddedAtomicLong(Long.MAX_VALUE);
        assertEquals(Long.MIN_VALUE, a.incrementAndGet());
        assertEquals(Long.MAX_VALUE, a.decrementAndGet());
        a.set(Long.MIN_VALUE);
        assertEquals(Long.MAX_VALUE, a.addAndGet(-1));
        a.set(Long.MAX_VALUE);
        assertEquals(Long.MAX_VALUE * 3, a.multiplyAndGet(3));
        a.set(5);
        assertEquals(5L - Long.MIN_VALUE, a.addAndGet(-Long.MIN_VALUE));
    }

    @Test
    void mulReturnsOldOrNewAsNamed() {
        PaddedAtomicLong a = new PaddedAtomicLong(6);
        assertEquals(6L, a.getAndMultiply(7));
        assertEquals(42L, a.get());
        assertEquals(-84L, a.multiplyAndGet(-2));
        assertEquals(0L, a.multiplyAndGet(0));
    }

    @Test
    void floorDivFloorsLikePythonNotTruncatesLikeJava() {
        PaddedAtomicLong a = new PaddedAtomicLong(-7);
        assertEquals(-4L, a.floorDivAndGet(2)); // Java's -7 / 2 would be -3
        a.set(7);
        assertEquals(-4L, a.floorDivAndGet(-2));
        a.set(-7);
        assertEquals(3L, a.floorDivAndGet(-2));
        a.set(7);
        assertEquals(7L, a.getAndFloorDiv(2));
        assertEquals(3L, a.get());
        a.set(-6);
        assertEquals(-3L, a.floorDivAndGet(2)); // exact: no rounding
    }

    @Test
    void floorDivOfMinValueByMinusOneWraps() {
        PaddedAtomicLong a = new PaddedAtomicLong(Long.MIN_VALUE);
        assertEquals(Long.MIN_VALUE, a.floorDivAndGet(-1));
    }

    @Test
    void divisionByZeroThrowsAndLeavesTheValue() {
        PaddedAtomicLong a = new PaddedAtomicLong(9);
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> a.floorDivAndGet(0));
        assertTrue(e.getMessage().contains("divisor: 0"), e.getMessage());
        assertThrows(ArithmeticException.class, () -> a.getAndFloorDiv(0));
        assertEquals(9L, a.get());
    }

    @Test
    void bitwiseOpsReturnTheOldValueAndApplyTheMask() {
        PaddedAtomicLong a = new PaddedAtomicLong(0b1010);
        assertEquals(0b1010L, a.getAndBitwiseOr(0b0101));
        assertEquals(0b1111L, a.get());
        assertEquals(0b1111L, a.getAndBitwiseAnd(0b0110));
        assertEquals(0b0110L, a.get());
        assertEquals(0b0110L, a.getAndBitwiseXor(0b0011));
        assertEquals(0b0101L, a.get());
        a.set(-1);
        assertEquals(-1L, a.getAndBitwiseAnd(Long.MIN_VALUE));
        assertEquals(Long.MIN_VALUE, a.get());
    }

    @Test
    void getAndSetAndCompareAndSet() {
        PaddedAtomicLong a = new PaddedAtomicLong(1);
        assertEquals(1L, a.getAndSet(2));
        assertFalse(a.compareAndSet(1, 3));
        assertEquals(2L, a.get());
        assertTrue(a.compareAndSet(2, 3));
        assertEquals(3L, a.get());
    }

    @Test
    void compareAndExchangeReturnsTheWitnessInEveryMode() {
        PaddedAtomicLong a = new PaddedAtomicLong(1);
        assertEquals(1L, a.compareAndExchange(1, 2));
        assertEquals(2L, a.compareAndExchange(1, 9)); // failed: the witness is the current value
        assertEquals(2L, a.get());
        assertEquals(2L, a.compareAndExchangeAcquire(2, 3));
        assertEquals(3L, a.compareAndExchangeAcquire(2, 9));
        assertEquals(3L, a.compareAndExchangeRelease(3, 4));
        assertEquals(4L, a.compareAndExchangeRelease(3, 9));
        assertEquals(4L, a.get());
    }

    @Test
    void weakCompareAndSetVariantsEventuallySucceedAndNeverSucceedWrongly() {
        PaddedAtomicLong a = new PaddedAtomicLong(0);
        assertFalse(a.weakCompareAndSetVolatile(7, 1));
        assertFalse(a.weakCompareAndSetAcquire(7, 1));
        assertFalse(a.weakCompareAndSetRelease(7, 1));
        assertFalse(a.weakCompareAndSetPlain(7, 1));
        assertEquals(0L, a.get());
        while (!a.weakCompareAndSetVolatile(0, 1)) { /* spurious failure: retry */ }
        while (!a.weakCompareAndSetAcquire(1, 2)) { /* retry */ }
        while (!a.weakCompareAndSetRelease(2, 3)) { /* retry */ }
        while (!a.weakCompareAndSetPlain(3, 4)) { /* retry */ }
        assertEquals(4L, a.get());
    }

    @Test
    void functionUpdatesReturnOldOrNewAsNamed() {
        PaddedAtomicLong a = new PaddedAtomicLong(3);
        assertEquals(3L, a.getAndUpdate(x -> x * x));
        assertEquals(10L, a.updateAndGet(x -> x + 1));
        assertEquals(10L, a.getAndAccumulate(5, Math::max));
        assertEquals(10L, a.get());
        assertEquals(30L, a.accumulateAndGet(20, Long::sum));
    }

    @Test
    void nullFunctionsAreRejectedByName() {
        PaddedAtomicLong a = new PaddedAtomicLong();
        NullPointerException e = assertThrows(NullPointerException.class, () -> a.updateAndGet((LongUnaryOperator) null));
        assertTrue(e.getMessage().startsWith("function"), e.getMessage());
        assertThrows(NullPointerException.class, () -> a.getAndUpdate(null));
        assertThrows(NullPointerException.class, () -> a.accumulateAndGet(1, (LongBinaryOperator) null));
        assertThrows(NullPointerException.class, () -> a.getAndAccumulate(1, null));
    }
}
