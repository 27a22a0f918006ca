package dev.flin.conformance.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.AccessTarget;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaFieldAccess;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaParameterizedType;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.lang.AbstractClassesTransformer;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ClassesTransformer;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import dev.flin.runtime.Agent;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * ArchUnit rules that check <em>your agent code</em> for shared mutable state, the user-side half
 * of rules 1.1, 1.2 and 1.5 of {@code docs/spec.md}: a runtime guarantees one message at a time per
 * agent, which is only worth something if an agent's state is reachable from that agent alone, and
 * messages are immutable values. Apply them to your own classes:
 *
 * <pre>{@code
 * @AnalyzeClasses(packages = "com.example.agents", importOptions = ImportOption.DoNotIncludeTests.class)
 * class NoSharedStateArchTest {
 *     @ArchTest
 *     static void agentCodeSharesNoState(JavaClasses classes) {
 *         CompositeArchRule.of(NoSharedStateRules.all()).check(classes);
 *     }
 * }
 * }</pre>
 * or check them one by one ({@code NoSharedStateRules.all().forEach(rule -> rule.check(classes))}),
 * for example as JUnit dynamic tests (docs/conformance.md has both examples). Prefer an
 * {@code @ArchTest} method to an {@code @ArchTest ArchRule} field: Maven Surefire 3.5.3 silently
 * skips the fields (SUREFIRE-2298, fixed in 3.5.4).
 * Every rule allows an empty selection (code with no agents passes).
 *
 * <p><b>What counts as an agent class</b>: every imported class (not interface) that implements
 * {@link Agent}, directly or through a superclass, named or anonymous. An agent written as a lambda
 * ({@code () -> (message, ctx) -> ...}) has no class of its own: its body lives in a synthetic
 * method of the enclosing class, which is not an agent class, so these rules do not see it. Classes
 * an agent merely uses (helpers, nested non-agent classes) are not checked either, except where a
 * rule says so.
 *
 * <p><b>What counts as a message class</b> (rule {@link #MESSAGES_ARE_IMMUTABLE}): every imported
 * class, not an interface, that is
 * <ol>
 *   <li>assignable to the type argument {@code M} of an imported agent class's {@code Agent<M>}
 *       (declared directly, or as a type argument of a generic agent superclass), unless {@code M}
 *       is {@code Object} or a JDK type: so the permitted records of a sealed {@code M} are covered;</li>
 *   <li>a record;</li>
 *   <li>or a class whose simple name ends with {@code Message}, or assignable to a type whose simple
 *       name does (the naming convention covers the messages of lambda agents).</li>
 * </ol>
 * Use {@link #messagesAreImmutable(DescribedPredicate, DescribedPredicate)} to choose the selection
 * yourself (a package, a marker interface).
 *
 * <p><b>What counts as an immutable field type</b>: primitives; {@code String}, the boxed
 * primitives, {@code BigInteger}, {@code BigDecimal}, {@code UUID}, {@code Locale}, {@code Currency},
 * {@code URI}, {@code InetAddress}, {@code Pattern}, {@code Class}, {@code OptionalInt/Long/Double};
 * everything in {@code java.time}; the FLIN value types and handles ({@code AgentId},
 * {@code AgentRef}, {@code Reply}, {@code Topic}, the API's records and enums); and, checked
 * recursively, records, enums and final classes whose instance fields (inherited ones included) are
 * all final and of immutable types, and sealed interfaces or sealed abstract classes whose permitted
 * subclasses all are. <b>Not</b> immutable: arrays, {@code Object}, type variables (erased to their
 * bound), non-sealed interfaces and non-final classes, and in particular {@code List}, {@code Set},
 * {@code Map} and {@code Optional}: bytecode cannot tell a {@code List.of(...)} from an
 * {@code ArrayList}. If your messages carry collections you create with {@code List.copyOf} and
 * friends, accept them explicitly:
 * {@code messagesAreImmutable(JavaClass.Predicates.assignableTo(List.class))}.
 *
 * <p><b>Limits.</b> Static analysis of class files cannot see everything: a {@code static final}
 * field holding a mutable object, a mutable object passed in through the constructor and shared
 * with others, or state reached through method calls (getters, collections) is not detected;
 * nor are lambda agents (above). {@code synchronized} blocks are not part of ArchUnit's model (it
 * records no {@code monitorenter} instruction), so {@link #AGENTS_HAVE_NO_SYNCHRONIZED_BLOCKS} reads
 * the imported class files itself and decodes their bytecode; a class whose class file cannot be
 * read (no source location, no class loader resource) is skipped by that rule.
 *
 * <p>Threading: the rules are immutable and may be shared.
 */
public final class NoSharedStateRules {

    /** Agent classes: imported non-interface classes implementing {@link Agent}. */
    public static final DescribedPredicate<JavaClass> AGENT_CLASSES = DescribedPredicate.describe(
            "implement dev.flin.runtime.Agent",
            c -> !c.isInterface() && c.isAssignableTo(Agent.class));

    /** The default message selection: see the class documentation. */
    public static final ClassesTransformer<JavaClass> MESSAGE_CLASSES = new MessageClasses(DescribedPredicate.alwaysFalse());

    /** An agent class declares no static field that is not final: static state is shared by every instance. */
    public static final ArchRule AGENTS_HAVE_NO_MUTABLE_STATIC_FIELDS = fields()
            .that().areDeclaredInClassesThat(AGENT_CLASSES)
            .and().areStatic()
            .should().beFinal()
            .because("a static field is shared by every instance of the agent, on whatever threads they run;"
                    + " only an agent's own instance fields are protected by one-message-at-a-time (rules 1.1, 1.2)")
            .allowEmptyShould(true);

    /** An agent class declares no public field that is not final: anyone could write it. */
    public static final ArchRule AGENTS_HAVE_NO_PUBLIC_MUTABLE_FIELDS = fields()
            .that().areDeclaredInClassesThat(AGENT_CLASSES)
            .and().arePublic()
            .should().beFinal()
            .because("an agent's state must be reachable only through messages (rule 1.4); a public"
                    + " mutable field can be written by any thread, outside the agent's callbacks")
            .allowEmptyShould(true);

    /** A non-final field of an agent class is read and written only by that agent class (or a subclass, or a class nested in it). */
    public static final ArchRule AGENT_FIELDS_ARE_ACCESSED_ONLY_BY_THEIR_AGENT = fields()
            .that().areDeclaredInClassesThat(AGENT_CLASSES)
            .and().areNotFinal()
            .should(new ArchCondition<JavaField>("be accessed only by their own agent class, its subclasses or classes nested in it") {
                @Override
                public void check(final JavaField field, final ConditionEvents events) {
                    for (final JavaFieldAccess access : field.getAccessesToSelf()) {
                        final JavaClass origin = access.getOriginOwner();
                        if (!belongsTo(origin, field.getOwner())) {
                            events.add(SimpleConditionEvent.violated(field, "field " + field.getFullName()
                                    + " of an agent is accessed from outside the agent: " + access.getDescription()));
                        }
                    }
                }
            })
            .because("a field touched from outside the agent's callbacks is shared state: nothing orders that"
                    + " access with the agent's own (rules 1.1, 1.2)")
            .allowEmptyShould(true);

    /**
     * An agent class touches no mutable field it does not own: no non-final static field of any
     * class, and no non-final instance field of a class other than itself, its superclasses and the
     * classes nested in it (for example the enclosing instance of an anonymous agent).
     */
    public static final ArchRule AGENTS_ACCESS_ONLY_THEIR_OWN_MUTABLE_FIELDS = classes()
            .that(AGENT_CLASSES)
            .should(new ArchCondition<JavaClass>("access only mutable fields they own") {
                @Override
                public void check(final JavaClass agent, final ConditionEvents events) {
                    for (final JavaFieldAccess access : agent.getFieldAccessesFromSelf()) {
                        final Optional<JavaField> target = access.getTarget().resolveMember();
                        if (target.isEmpty() || target.get().getModifiers().contains(JavaModifier.FINAL)) {
                            continue;
                        }
                        final JavaField field = target.get();
                        if (field.getModifiers().contains(JavaModifier.STATIC)) {
                            events.add(SimpleConditionEvent.violated(agent, "agent " + agent.getName()
                                    + " uses mutable static state: " + access.getDescription()));
                        } else if (!agent.isAssignableTo(field.getOwner().getName()) && !belongsTo(field.getOwner(), agent)) {
                            events.add(SimpleConditionEvent.violated(agent, "agent " + agent.getName()
                                    + " touches a mutable field it does not own: " + access.getDescription()));
                        }
                    }
                }
            })
            .because("an agent owns its state exclusively (rule 1.1); mutable fields of other objects, static"
                    + " fields, or the enclosing instance of an anonymous agent are shared with other threads")
            .allowEmptyShould(true);

    /** An agent class holds no field whose type (or a type argument of it) is an agent: only AgentRef / AgentId handles. */
    public static final ArchRule AGENTS_DO_NOT_HOLD_OTHER_AGENTS = fields()
            .that().areDeclaredInClassesThat(AGENT_CLASSES)
            .should(new ArchCondition<JavaField>("not hold agent instances (hold AgentRef or AgentId instead)") {
                @Override
                public void check(final JavaField field, final ConditionEvents events) {
                    for (final JavaClass type : field.getAllInvolvedRawTypes()) {
                        if (type.isAssignableTo(Agent.class)) {
                            events.add(SimpleConditionEvent.violated(field, "field " + field.getFullName()
                                    + " holds an agent instance (" + type.getName() + "); hold its AgentRef or AgentId"));
                        }
                    }
                }
            })
            .because("calling another agent's methods runs its code on this agent's thread, racing its own"
                    + " callbacks; the only way into an agent is a message (rules 1.1, 1.4)")
            .allowEmptyShould(true);

    /** No method of an agent class is {@code synchronized}. */
    public static final ArchRule AGENTS_HAVE_NO_SYNCHRONIZED_METHODS = methods()
            .that().areDeclaredInClassesThat(AGENT_CLASSES)
            .should().notHaveModifier(JavaModifier.SYNCHRONIZED)
            .because("an agent needs no lock (rule 1.2); a lock in an agent means its state is shared, and"
                    + " blocking on it stalls a dispatcher thread")
            .allowEmptyShould(true);

    /** No agent class contains a {@code synchronized (...) { }} block (found by reading its bytecode). */
    public static final ArchRule AGENTS_HAVE_NO_SYNCHRONIZED_BLOCKS = classes()
            .that(AGENT_CLASSES)
            .should(new ArchCondition<JavaClass>("contain no synchronized block") {
                @Override
                public void check(final JavaClass agent, final ConditionEvents events) {
                    MonitorScanner.methodsWithSynchronizedBlocks(agent).ifPresent(methods -> {
                        for (final String method : methods) {
                            events.add(SimpleConditionEvent.violated(agent, "agent " + agent.getName()
                                    + " has a synchronized block in " + method));
                        }
                    });
                }
            })
            .because("an agent needs no lock (rule 1.2); a lock in an agent means its state is shared, and"
                    + " blocking on it stalls a dispatcher thread")
            .allowEmptyShould(true);

    /** No agent class uses {@code java.util.concurrent.locks} (locks, conditions, {@code LockSupport}). */
    public static final ArchRule AGENTS_DO_NOT_USE_LOCKS = noClasses()
            .that(AGENT_CLASSES)
            .should().dependOnClassesThat().resideInAPackage("java.util.concurrent.locks..")
            .because("an agent needs no lock (rule 1.2) and must not park its thread: replies come back as"
                    + " messages (rule 5.5)")
            .allowEmptyShould(true);

    /** No agent class calls {@code Object.wait}, {@code notify} or {@code notifyAll}. */
    public static final ArchRule AGENTS_DO_NOT_WAIT_OR_NOTIFY = noClasses()
            .that(AGENT_CLASSES)
            .should().callMethodWhere(DescribedPredicate.describe("target is Object.wait/notify/notifyAll",
                    NoSharedStateRules::isWaitOrNotify))
            .because("wait/notify need a shared monitor and block the agent thread; agents talk by messages"
                    + " (rules 1.2, 5.5)")
            .allowEmptyShould(true);

    /**
     * Every message class (see the class documentation for the selection) is a record, an enum, or a
     * final class (an abstract sealed class is allowed too), and its instance fields are final and
     * of immutable types (see the class documentation for the list).
     */
    public static final ArchRule MESSAGES_ARE_IMMUTABLE = messagesAreImmutable(DescribedPredicate.alwaysFalse());

    private NoSharedStateRules() {
    }

    /**
     * {@link #MESSAGES_ARE_IMMUTABLE} with more field types accepted as immutable.
     *
     * @param alsoImmutable field types to accept, e.g. {@code JavaClass.Predicates.assignableTo(List.class)}
     *                      if your messages only carry {@code List.copyOf(...)} lists
     * @return the rule
     */
    public static ArchRule messagesAreImmutable(final DescribedPredicate<? super JavaClass> alsoImmutable) {
        return messagesAreImmutable(alsoImmutable, DescribedPredicate.alwaysFalse());
    }

    /**
     * {@link #MESSAGES_ARE_IMMUTABLE} with more field types accepted and more classes selected.
     *
     * @param alsoImmutable  field types to accept as immutable
     * @param alsoMessages   classes to check as messages besides the default selection, e.g.
     *                       {@code JavaClass.Predicates.resideInAPackage("..messages..")}
     * @return the rule
     */
    public static ArchRule messagesAreImmutable(final DescribedPredicate<? super JavaClass> alsoImmutable,
                                                final DescribedPredicate<? super JavaClass> alsoMessages) {
        return com.tngtech.archunit.lang.syntax.ArchRuleDefinition.all(new MessageClasses(alsoMessages))
                .should(new ArchCondition<JavaClass>("be immutable values: records, enums or final classes with final fields of immutable types") {
                    @Override
                    public void check(final JavaClass message, final ConditionEvents events) {
                        final boolean abstractSealed = message.isSealed() && message.getModifiers().contains(JavaModifier.ABSTRACT);
                        if (!message.isRecord() && !message.isEnum() && !abstractSealed
                                && !message.getModifiers().contains(JavaModifier.FINAL)) {
                            events.add(SimpleConditionEvent.violated(message, "message class " + message.getName()
                                    + " is neither a record, an enum nor a final class"));
                        }
                        final ImmutableTypes types = new ImmutableTypes(alsoImmutable);
                        for (final JavaClass owner : ImmutableTypes.hierarchy(message)) {
                            for (final JavaField field : owner.getFields()) {
                                if (field.getModifiers().contains(JavaModifier.STATIC)) {
                                    continue;
                                }
                                if (!field.getModifiers().contains(JavaModifier.FINAL)) {
                                    events.add(SimpleConditionEvent.violated(message, "field " + field.getFullName()
                                            + " of message class " + message.getName() + " is not final"));
                                    continue;
                                }
                                types.whyMutable(field.getRawType()).ifPresent(why -> events.add(SimpleConditionEvent.violated(
                                        message, "field " + field.getFullName() + " of message class " + message.getName()
                                                + " has type " + ImmutableTypes.typeName(field.getRawType()) + ", not known to be immutable: " + why)));
                            }
                        }
                    }
                })
                .because("a message is shared by sender and receiver without a lock; only an immutable value makes"
                        + " that safe (rule 1.5)")
                .allowEmptyShould(true);
    }

    /**
     * @return every rule of this class, in the order they are declared
     */
    public static List<ArchRule> all() {
        return List.of(AGENTS_HAVE_NO_MUTABLE_STATIC_FIELDS, AGENTS_HAVE_NO_PUBLIC_MUTABLE_FIELDS,
                AGENT_FIELDS_ARE_ACCESSED_ONLY_BY_THEIR_AGENT, AGENTS_ACCESS_ONLY_THEIR_OWN_MUTABLE_FIELDS,
                AGENTS_DO_NOT_HOLD_OTHER_AGENTS, AGENTS_HAVE_NO_SYNCHRONIZED_METHODS, AGENTS_HAVE_NO_SYNCHRONIZED_BLOCKS,
                AGENTS_DO_NOT_USE_LOCKS, AGENTS_DO_NOT_WAIT_OR_NOTIFY, MESSAGES_ARE_IMMUTABLE);
    }

    // ------------------------------------------------------------------------------ helpers

    /** Whether {@code origin} is {@code owner}, a subclass of it, or nested (at any depth) in one of those. */
    private static boolean belongsTo(final JavaClass origin, final JavaClass owner) {
        for (Optional<JavaClass> c = Optional.of(origin); c.isPresent(); c = c.get().getEnclosingClass()) {
            if (c.get().equals(owner) || c.get().isAssignableTo(owner.getName())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isWaitOrNotify(final JavaMethodCall call) {
        final AccessTarget.MethodCallTarget target = call.getTarget();
        final List<String> parameters = new ArrayList<>();
        target.getRawParameterTypes().forEach(p -> parameters.add(p.getName()));
        return switch (target.getName()) {
            case "wait" -> parameters.isEmpty() || parameters.equals(List.of("long")) || parameters.equals(List.of("long", "int"));
            case "notify", "notifyAll" -> parameters.isEmpty();
            default -> false;
        };
    }

    /** Selects message classes; see the class documentation. */
    private static final class MessageClasses extends AbstractClassesTransformer<JavaClass> {
        private final DescribedPredicate<? super JavaClass> alsoMessages;

        MessageClasses(final DescribedPredicate<? super JavaClass> alsoMessages) {
            super("message classes (Agent<M> type arguments and their subtypes, records, *Message classes)");
            this.alsoMessages = alsoMessages;
        }

        @Override
        public Iterable<JavaClass> doTransform(final JavaClasses classes) {
            final Set<String> declaredMessageTypes = new LinkedHashSet<>();
            for (final JavaClass c : classes) {
                if (AGENT_CLASSES.test(c)) {
                    declaredMessageTypes.addAll(messageTypesOf(c));
                }
            }
            final List<JavaClass> selected = new ArrayList<>();
            for (final JavaClass c : classes) {
                if (c.isInterface() || AGENT_CLASSES.test(c) || c.isAnonymousClass()) {
                    continue;
                }
                final boolean byAgent = declaredMessageTypes.stream().anyMatch(c::isAssignableTo);
                final boolean byName = c.getAllClassesSelfIsAssignableTo().stream()
                        .anyMatch(t -> t.getSimpleName().endsWith("Message"));
                if (byAgent || byName || c.isRecord() || alsoMessages.test(c)) {
                    selected.add(c);
                }
            }
            return selected;
        }

        /** The non-JDK type arguments M of {@code Agent<M>} (directly, or of a generic agent superclass). */
        private static Set<String> messageTypesOf(final JavaClass agent) {
            final Set<String> types = new LinkedHashSet<>();
            for (final JavaType type : agent.getInterfaces()) {
                if (type instanceof JavaParameterizedType parameterized
                        && parameterized.toErasure().getName().equals(Agent.class.getName())) {
                    addIfUserType(types, parameterized.getActualTypeArguments());
                }
            }
            agent.getSuperclass().ifPresent(superclass -> {
                if (superclass instanceof JavaParameterizedType parameterized && AGENT_CLASSES.test(parameterized.toErasure())) {
                    addIfUserType(types, parameterized.getActualTypeArguments());
                }
            });
            return types;
        }

        private static void addIfUserType(final Set<String> types, final List<JavaType> arguments) {
            for (final JavaType argument : arguments) {
                final JavaClass erasure = argument.toErasure();
                if (!erasure.getPackageName().startsWith("java")) {
                    types.add(erasure.getName());
                }
            }
        }
    }

}
