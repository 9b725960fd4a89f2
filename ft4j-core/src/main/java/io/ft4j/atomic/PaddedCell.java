package io.ft4j.atomic;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A padded cell: one {@code long} slot and one reference slot, each alone on its cache lines.
 *
 * <p><b>Why.</b> Two hot atomics allocated one after the other usually share a 64-byte cache line; a write to one then
 * invalidates the other in every core's cache ("false sharing"). ft4j's atomics extend this class so that their state
 * sits between 128 bytes of padding on each side: 128, not 64, because Intel's spatial prefetcher pulls cache lines in
 * adjacent pairs (the same size the JDK's {@code @Contended} uses by default).
 *
 * <p><b>How.</b> Class-hierarchy padding: HotSpot lays out a superclass's fields before a subclass's, so
 * {@link CellLhsPad} (before), {@link CellFields} (the slots) and {@link PaddedCell} (after) fix the order. The pads
 * are {@code byte} fields so that they leave no gap for a subclass field to be packed into, which the JDK 15+ field
 * layout would otherwise do. {@code PaddedCellLayoutTest} checks the offsets with JOL.
 *
 * <p><b>One core for every atomic.</b> The long slot serves {@code PaddedAtomicLong} and {@code PaddedAtomicBoolean},
 * the reference slot {@code PaddedAtomicReference}; each uses one and leaves the other at its default. The unused slot
 * costs 4 to 8 bytes out of about 280, and in exchange the padding is written once. The classes are package-private: a
 * public superclass in an unexported package would leak into the exported API (javac's {@code -Xlint:exports}).
 */
abstract class PaddedCell extends CellFields {
    byte q000, q001, q002, q003, q004, q005, q006, q007, q008, q009, q010, q011, q012, q013, q014, q015;
    byte q016, q017, q018, q019, q020, q021, q022, q023, q024, q025, q026, q027, q028, q029, q030, q031;
    byte q032, q033, q034, q035, q036, q037, q038, q039, q040, q041, q042, q043, q044, q045, q046, q047;
    byte q048, q049, q050, q051, q052, q053, q054, q055, q056, q057, q058, q059, q060, q061, q062, q063;
    byte q064, q065, q066, q067, q068, q069, q070, q071, q072, q073, q074, q075, q076, q077, q078, q079;
    byte q080, q081, q082, q083, q084, q085, q086, q087, q088, q089, q090, q091, q092, q093, q094, q095;
    byte q096, q097, q098, q099, q100, q101, q102, q103, q104, q105, q106, q107, q108, q109, q110, q111;
    byte q112, q113, q114, q115, q116, q117, q118, q119, q120, q121, q122, q123, q124, q125, q126, q127;

    /** The long slot, for subclasses: volatile, acquire/release, opaque and plain access, CAS and get-and-op. */
    static final VarHandle VALUE;
    /** The reference slot, for subclasses. */
    static final VarHandle REF;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            VALUE = lookup.findVarHandle(PaddedCell.class, "value", long.class);
            REF = lookup.findVarHandle(PaddedCell.class, "ref", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Creates a cell whose slots hold {@code 0L} and {@code null}. */
    PaddedCell() {}
}

/** The slots. Only {@link PaddedCell}'s VarHandles touch them. */
abstract class CellFields extends CellLhsPad {
    volatile long value;
    volatile Object ref;
}

/** 128 bytes before the slots. */
abstract class CellLhsPad {
    byte p000, p001, p002, p003, p004, p005, p006, p007, p008, p009, p010, p011, p012, p013, p014, p015;
    byte p016, p017, p018, p019, p020, p021, p022, p023, p024, p025, p026, p027, p028, p029, p030, p031;
    byte p032, p033, p034, p035, p036, p037, p038, p039, p040, p041, p042, p043, p044, p045, p046, p047;
    byte p048, p049, p050, p051, p052, p053, p054, p055, p056, p057, p058, p059, p060, p061, p062, p063;
    byte p064, p065, p066, p067, p068, p069, p070, p071, p072, p073, p074, p075, p076, p077, p078, p079;
    byte p080, p081, p082, p083, p084, p085, p086, p087, p088, p089, p090, p091, p092, p093, p094, p095;
    byte p096, p097, p098, p099, p100, p101, p102, p103, p104, p105, p106, p107, p108, p109, p110, p111;
    byte p112, p113, p114, p115, p116, p117, p118, p119, p120, p121, p122, p123, p124, p125, p126, p127;
}
