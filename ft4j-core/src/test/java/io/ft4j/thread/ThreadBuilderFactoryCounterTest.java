package io.ft4j.thread;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.Test;

/** ThreadBuilder.factory(): "keeps the settings the builder had when it was created. Later changes to the builder
 * do not affect it." The factory shares the builder's AtomicLong, so re-naming the builder resets the factory's
 * counter and the factory hands out a duplicate name. JDK's Thread.Builder factory gives w-2 here. */
class ThreadBuilderFactoryCounterTest {
    @Test
    void laterNameOnBuilderDoesNotResetFactoryCounter() {
        ThreadBuilder builder = new ThreadBuilder().name("w-", 0);
        ThreadFactory factory = builder.factory();
        assertEquals("w-0", factory.newThread(() -> {}).getName());
        assertEquals("w-1", factory.newThread(() -> {}).getName());
        builder.name("other-", 0);                       // a later change to the builder
        assertEquals("w-2", factory.newThread(() -> {}).getName()); // observed: "w-0" (duplicate)
    }

    @Test
    void builderUseDoesNotTakeNumbersFromFactory() {
        ThreadBuilder builder = new ThreadBuilder().name("x-", 0);
        ThreadFactory factory = builder.factory();
        assertEquals("x-0", factory.newThread(() -> {}).getName());
        builder.unstarted(() -> {});
        assertEquals("x-1", factory.newThread(() -> {}).getName()); // observed: "x-2" (JDK Thread.Builder: x-1)
    }
}
