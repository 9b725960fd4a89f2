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

    @org.junit.jupiter.api.Test
    public void modelChecking() {
        modelCheck(getClass());
    }

    @org.junit.jupiter.api.Test
    public void stress() {
        org.junit.jupiter.api.Assumptions.assumeTrue(stressMode(), () -> getClass().getSimpleName()
                + " is stressed on real threads elsewhere: " + stressedBy());
        stress(getClass());
    }

    /** @return whether {@link #stress()} runs Lincheck's stress mode on this class (default: yes) */
    protected boolean stressMode() {
        return true;
    }

    /** @return where a class whose {@link #stressMode()} is false is stressed on real threads instead */
    protected String stressedBy() {
        return "";
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
