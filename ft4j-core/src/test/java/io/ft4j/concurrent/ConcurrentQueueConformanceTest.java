package io.ft4j.concurrent;

import com.google.common.collect.testing.QueueTestSuiteBuilder;
import com.google.common.collect.testing.TestStringQueueGenerator;
import com.google.common.collect.testing.features.CollectionFeature;
import com.google.common.collect.testing.features.CollectionSize;
import java.util.Collections;
import java.util.Queue;
import junit.framework.Test;
import junit.framework.TestSuite;
import org.junit.runner.RunWith;
import org.junit.runners.AllTests;

/**
 * The java.util.Queue and Collection contracts, checked by Guava's conformance suite, with the features Guava's own
 * tests declare for LinkedBlockingQueue and LinkedBlockingDeque: for the queue unbounded, bounded (tiny segments do
 * not exist: the segment chain is covered by ConcurrentQueueTest) and for the deque.
 */
@RunWith(AllTests.class)
public class ConcurrentQueueConformanceTest {
    public static Test suite() {
        TestSuite suite = new TestSuite("ft4j queues");
        suite.addTest(queueSuite("ConcurrentQueue", () -> new ConcurrentQueue<>()));
        suite.addTest(queueSuite("ConcurrentQueue bounded",
                () -> ConcurrentQueue.<String>builder().capacity(100).build()));
        suite.addTest(queueSuite("ConcurrentQueue bounded by constructor", () -> new ConcurrentQueue<>(100)));
        suite.addTest(queueSuite("ConcurrentDeque", () -> new ConcurrentDeque<>()));
        suite.addTest(queueSuite("ConcurrentDeque bounded", () -> new ConcurrentDeque<>(100)));
        suite.addTest(queueSuite("StdConcurrentQueue", () -> new StdConcurrentQueue<>(0)));
        return suite;
    }

    private static Test queueSuite(String name, java.util.function.Supplier<Queue<String>> factory) {
        return QueueTestSuiteBuilder.using(new TestStringQueueGenerator() {
                    @Override
                    protected Queue<String> create(String[] elements) {
                        Queue<String> q = factory.get();
                        Collections.addAll(q, elements);
                        return q;
                    }
                })
                .named(name)
                .withFeatures(CollectionFeature.GENERAL_PURPOSE, CollectionFeature.KNOWN_ORDER, CollectionSize.ANY)
                .createTestSuite();
    }
}
