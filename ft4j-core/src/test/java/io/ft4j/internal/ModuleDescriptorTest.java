package io.ft4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Guards the public surface: the module exports the API packages and nothing internal, and requires nothing. */
class ModuleDescriptorTest {

    @Test
    void exportsOnlyApiPackagesAndHasNoDependencies() throws Exception {
        ModuleDescriptor d;
        try (InputStream in = Files.newInputStream(Path.of("target/classes/module-info.class"))) {
            d = ModuleDescriptor.read(in);
        }
        assertEquals("io.ft4j", d.name());
        Set<String> exports = new TreeSet<>();
        d.exports().forEach(e -> {
            assertEquals(Set.of(), e.targets(), "qualified export of " + e.source());
            exports.add(e.source());
        });
        assertEquals(Set.of("io.ft4j.atomic", "io.ft4j.concurrent", "io.ft4j.lock", "io.ft4j.thread"), exports);
        Set<String> requires = new TreeSet<>();
        d.requires().forEach(r -> requires.add(r.name()));
        // jdk.jfr carries the lock-wait events; it is part of the JDK, not a library
        assertEquals(Set.of("java.base", "jdk.jfr"), requires, "ft4j-core needs nothing outside the JDK");
    }
}
