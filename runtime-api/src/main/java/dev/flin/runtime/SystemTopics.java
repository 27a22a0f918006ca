package dev.flin.runtime;

/**
 * Topics on which every runtime publishes what happens to its agents (rule 6.7). Subscribe an
 * agent to them with {@link TopicBroker#subscribe}.
 *
 * <p>Threading: constants; immutable.
 */
public final class SystemTopics {

    /** Every lifecycle transition of every agent (rule 3.9). */
    public static final Topic<LifecycleEvent> LIFECYCLE = Topic.of("flin.system.lifecycle", LifecycleEvent.class);

    /** Every failure of every agent with what the policy decided (rule 4.5). */
    public static final Topic<AgentFailure> FAILURES = Topic.of("flin.system.failures", AgentFailure.class);

    /** Every dead letter (rule 2.8). */
    public static final Topic<DeadLetter> DEAD_LETTERS = Topic.of("flin.system.dead-letters", DeadLetter.class);

    private SystemTopics() {
    }
}
