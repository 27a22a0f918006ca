package dev.flin.conformance.arch;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether a field type counts as immutable for {@link NoSharedStateRules#MESSAGES_ARE_IMMUTABLE}.
 * See that rule's documentation for the list.
 *
 * <p>Threading: a new instance per check; not thread-safe (it remembers the types it is visiting).
 */
final class ImmutableTypes {

    /** JDK value types that are immutable (besides primitives, {@code java.time}, enums and records). */
    static final Set<String> JDK_VALUE_TYPES = Set.of(
            "java.lang.String", "java.lang.Boolean", "java.lang.Byte", "java.lang.Short", "java.lang.Character",
            "java.lang.Integer", "java.lang.Long", "java.lang.Float", "java.lang.Double", "java.lang.Class",
            "java.math.BigInteger", "java.math.BigDecimal", "java.util.UUID", "java.util.Locale",
            "java.util.Currency", "java.net.URI", "java.net.InetAddress", "java.util.regex.Pattern",
            "java.util.OptionalInt", "java.util.OptionalLong", "java.util.OptionalDouble");

    /** Types of the FLIN API that are immutable values or thread-safe handles. */
    static final Set<String> FLIN_VALUE_TYPES = Set.of(
            "dev.flin.runtime.AgentId", "dev.flin.runtime.AgentRef", "dev.flin.runtime.Reply",
            "dev.flin.runtime.Topic", "dev.flin.runtime.AgentState", "dev.flin.runtime.TerminationCause",
            "dev.flin.runtime.Signal", "dev.flin.runtime.Signal$Terminated", "dev.flin.runtime.LifecycleEvent",
            "dev.flin.runtime.DeadLetter", "dev.flin.runtime.AgentFailure", "dev.flin.runtime.RuntimeCounters",
            "dev.flin.runtime.SpawnOptions", "dev.flin.runtime.RestartPolicy", "dev.flin.runtime.Backoff");

    private final DescribedPredicate<? super JavaClass> alsoImmutable;
    private final Set<String> visiting = new HashSet<>();

    ImmutableTypes(final DescribedPredicate<? super JavaClass> alsoImmutable) {
        this.alsoImmutable = alsoImmutable;
    }

    /**
     * @param type a field's raw type
     * @return why it is not immutable, or empty if it counts as immutable
     */
    Optional<String> whyMutable(final JavaClass type) {
        if (type.isPrimitive() || alsoImmutable.test(type) || JDK_VALUE_TYPES.contains(type.getName())
                || FLIN_VALUE_TYPES.contains(type.getName()) || type.getPackageName().equals("java.time")) {
            return Optional.empty();
        }
        if (type.isArray()) {
            return Optional.of("arrays are mutable");
        }
        if (type.getPackageName().startsWith("java.") || type.getPackageName().startsWith("javax.")) {
            return Optional.of("a JDK type that is not on the list of immutable types");
        }
        if (!visiting.add(type.getName())) {
            return Optional.empty(); // a cycle: decided by the outer visit
        }
        try {
            return whyMutableStructurally(type);
        } finally {
            visiting.remove(type.getName());
        }
    }

    private Optional<String> whyMutableStructurally(final JavaClass type) {
        if (type.isSealed() && (type.isInterface() || type.getModifiers().contains(JavaModifier.ABSTRACT))) {
            for (final JavaClass permitted : type.getPermittedSubclasses().orElse(Set.of())) {
                final Optional<String> why = whyMutable(permitted);
                if (why.isPresent()) {
                    return Optional.of("permitted subclass " + permitted.getName() + ": " + why.get());
                }
            }
            return checkFields(type);
        }
        if (type.isInterface()) {
            return Optional.of("an interface whose implementations are unknown (not sealed)");
        }
        if (!type.isRecord() && !type.isEnum() && !type.getModifiers().contains(JavaModifier.FINAL)) {
            return Optional.of("neither a record, an enum nor a final class");
        }
        if (!type.isFullyImported() && !type.getPackageName().startsWith("java")) {
            return Optional.of("not imported, so its fields are unknown");
        }
        return checkFields(type);
    }

    /** The instance fields of the type and its superclasses (below Object, Enum and Record). */
    private Optional<String> checkFields(final JavaClass type) {
        for (final JavaClass owner : hierarchy(type)) {
            for (final JavaField field : owner.getFields()) {
                if (field.getModifiers().contains(JavaModifier.STATIC)) {
                    continue;
                }
                if (!field.getModifiers().contains(JavaModifier.FINAL)) {
                    return Optional.of("field " + field.getName() + " is not final");
                }
                final Optional<String> why = whyMutable(field.getRawType());
                if (why.isPresent()) {
                    return Optional.of("field " + field.getName() + " of type " + typeName(field.getRawType()) + ": " + why.get());
                }
            }
        }
        return Optional.empty();
    }

    /** @return the type's name, arrays as {@code byte[]} */
    static String typeName(final JavaClass type) {
        return type.isArray() ? typeName(type.getComponentType()) + "[]" : type.getName();
    }

    static List<JavaClass> hierarchy(final JavaClass type) {
        final List<JavaClass> classes = new java.util.ArrayList<>();
        classes.add(type);
        for (final JavaClass superclass : type.getAllRawSuperclasses()) {
            final String name = superclass.getName();
            if (name.equals("java.lang.Object") || name.equals("java.lang.Enum") || name.equals("java.lang.Record")) {
                break;
            }
            classes.add(superclass);
        }
        return classes;
    }
}
