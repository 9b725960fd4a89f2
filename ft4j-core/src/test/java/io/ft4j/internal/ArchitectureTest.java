package io.ft4j.internal;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ft4j-core's layers point one way: the API packages ({@code io.ft4j.atomic}, {@code concurrent}, {@code lock},
 * {@code thread}) may use {@code io.ft4j.internal}, never the reverse, and no two packages depend on each other.
 */
class ArchitectureTest {
    private static JavaClasses core;

    @BeforeAll
    static void importCore() {
        core = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages("io.ft4j");
    }

    @Test
    void theInternalLayerUsesNoApiPackage() {
        noClasses().that().resideInAPackage("io.ft4j.internal..")
                .should().dependOnClassesThat().resideOutsideOfPackages("io.ft4j.internal..", "java..", "javax..",
                        "jdk..")
                .because("the OS, wait and utility layers report in their own terms; the API packages turn that "
                        + "into their exceptions and advice")
                .check(core);
    }

    @Test
    void noPackageCycles() {
        slices().matching("io.ft4j.(**)").should().beFreeOfCycles().check(core);
    }

    /** A base class asks its subclasses through an overridable method; it never tests for one by name. */
    @Test
    void noClassDependsOnItsOwnSubclass() {
        ArchCondition<JavaClass> namesNoSubclass = new ArchCondition<>("depend on none of their own subclasses") {
            @Override
            public void check(JavaClass origin, ConditionEvents events) {
                for (Dependency d : origin.getDirectDependenciesFromSelf()) {
                    JavaClass target = d.getTargetClass();
                    boolean nested = target.getEnclosingClass().map(origin::equals).orElse(false);
                    if (!target.equals(origin) && !nested && target.isAssignableTo(origin.getName())) {
                        events.add(SimpleConditionEvent.violated(d, d.getDescription()));
                    }
                }
            }
        };
        classes().that().resideInAPackage("io.ft4j..").should(namesNoSubclass).check(core);
    }
}
