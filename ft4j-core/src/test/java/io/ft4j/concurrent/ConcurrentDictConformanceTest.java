package io.ft4j.concurrent;

import com.google.common.collect.testing.ConcurrentMapTestSuiteBuilder;
import com.google.common.collect.testing.TestStringMapGenerator;
import com.google.common.collect.testing.features.CollectionFeature;
import com.google.common.collect.testing.features.CollectionSize;
import com.google.common.collect.testing.features.MapFeature;
import java.util.Map;
import junit.framework.Test;
import org.junit.runner.RunWith;
import org.junit.runners.AllTests;

/**
 * The java.util contract, checked by Guava's ConcurrentMap conformance suite (hundreds of generated tests over
 * empty, one-element and several-element maps: every Map and ConcurrentMap method, views, iterators, entry
 * setValue, equals and hashCode), with the same features ConcurrentHashMap declares in Guava's own test of it.
 */
@RunWith(AllTests.class)
public class ConcurrentDictConformanceTest {
    public static Test suite() {
        return ConcurrentMapTestSuiteBuilder.using(new TestStringMapGenerator() {
                    @Override
                    protected Map<String, String> create(Map.Entry<String, String>[] entries) {
                        ConcurrentDict<String, String> d = new ConcurrentDict<>(0, 0.75f, 2);
                        for (Map.Entry<String, String> e : entries) {
                            d.put(e.getKey(), e.getValue());
                        }
                        return d;
                    }
                })
                .named("ConcurrentDict")
                .withFeatures(CollectionSize.ANY, MapFeature.GENERAL_PURPOSE,
                        CollectionFeature.SUPPORTS_ITERATOR_REMOVE)
                .createTestSuite();
    }
}
