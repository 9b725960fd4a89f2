package io.ft4j.testing;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.StressOptions;

/**
 * Lincheck runs with ft4j's bounds, in one place, and a base class whose two tests check the subclass: Lincheck's defaults take minutes per class, these take seconds and
 * still found every bug planted or met so far (a broken CAS loop, a peek that read its bound once, a remove that
 * skipped unwritten slots).
 */
public abstract class Linearizability {
    /** For test classes: subclasses declare {@code @Operation}s and inherit both checks of themselves. */
    protected Linearizability() {}

    /**
     * Lincheck's model checking of the subclass, and its stress mode where {@link #stressMode()} says so: a class
     * stressed elsewhere has no stress test here (rather than a skipped one).
     *
     * @return the checks, as dynamic tests
     */
    @org.junit.jupiter.api.TestFactory
    public java.util.stream.Stream<org.junit.jupiter.api.DynamicTest> linearizability() {
        org.junit.jupiter.api.DynamicTest model =
                org.junit.jupiter.api.DynamicTest.dynamicTest("modelChecking", () -> modelCheck(getClass()));
        if (!stressMode()) {
            return java.util.stream.Stream.of(model);
        }
        return java.util.stream.Stream.of(model,
                org.junit.jupiter.api.DynamicTest.dynamicTest("stress", () -> stress(getClass())));
    }

    /** @return whether Lincheck's stress mode runs on this class here (default: yes) */
    protected boolean stressMode() {
        return true;
    }

    /**
     * Explores interleavings systematically (Lincheck's model checking).
     *
     * @param testClass the class with {@code @Operation} methods
     */
    public static void modelCheck(Class<?> testClass) {
        new ModelCheckingOptions().iterations(30).invocationsPerIteration(500).check(testClass);
    }

    /**
     * Runs the operations on real threads many times (Lincheck's stress mode).
     *
     * @param testClass the class with {@code @Operation} methods
     */
    public static void stress(Class<?> testClass) {
        new StressOptions().iterations(30).invocationsPerIteration(2_000).check(testClass);
    }
}
