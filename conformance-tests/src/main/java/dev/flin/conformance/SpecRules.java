package dev.flin.conformance;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Every rule of {@code docs/spec.md}, by id. The kit's own build checks that this table and the
 * spec's headings agree, so a rule cannot be added to the spec without the kit knowing it.
 *
 * <p>Threading: immutable.
 */
public final class SpecRules {

    /** All rules in spec order. */
    public static final List<SpecRule> ALL = List.of(
            new SpecRule("1.1", "One message at a time", SpecRule.Level.MUST),
            new SpecRule("1.2", "Happens-before", SpecRule.Level.MUST),
            new SpecRule("1.3", "Spawn takes a factory", SpecRule.Level.MUST),
            new SpecRule("1.4", "The registry holds mailbox handles only", SpecRule.Level.MUST),
            new SpecRule("1.5", "Messages are immutable values", SpecRule.Level.MUST),
            new SpecRule("1.6", "Independent progress", SpecRule.Level.SHOULD),
            new SpecRule("1.7", "Dispatchers are chosen per agent", SpecRule.Level.MUST),
            new SpecRule("2.1", "Every mailbox is bounded", SpecRule.Level.MUST),
            new SpecRule("2.2", "A send never blocks", SpecRule.Level.MUST),
            new SpecRule("2.3", "Per-sender FIFO", SpecRule.Level.MUST),
            new SpecRule("2.4", "Conservation", SpecRule.Level.MUST),
            new SpecRule("2.5", "Sending to an agent that is not alive", SpecRule.Level.MUST),
            new SpecRule("2.6", "Message type checked by id", SpecRule.Level.MUST),
            new SpecRule("2.7", "Null is rejected", SpecRule.Level.MUST),
            new SpecRule("2.8", "Dead letters are observable", SpecRule.Level.MUST),
            new SpecRule("2.9", "No send path bypasses the bound", SpecRule.Level.MUST),
            new SpecRule("2.10", "Message adapters", SpecRule.Level.MUST),
            new SpecRule("3.1", "Legal transitions only", SpecRule.Level.MUST),
            new SpecRule("3.2", "onStart completes before the first message", SpecRule.Level.MUST),
            new SpecRule("3.3", "onStop exactly once per started instance", SpecRule.Level.MUST),
            new SpecRule("3.4", "A paused agent processes nothing but accepts messages", SpecRule.Level.MUST),
            new SpecRule("3.5", "Resume continues in order", SpecRule.Level.MUST),
            new SpecRule("3.6", "A stop is ordered after the messages accepted before it", SpecRule.Level.MUST),
            new SpecRule("3.7", "Leftovers are dead letters", SpecRule.Level.MUST),
            new SpecRule("3.8", "Ids are never reused", SpecRule.Level.MUST),
            new SpecRule("3.9", "Transitions are observable", SpecRule.Level.MUST),
            new SpecRule("3.10", "Control of an agent that is not alive", SpecRule.Level.MUST),
            new SpecRule("4.1", "Failure isolation", SpecRule.Level.MUST),
            new SpecRule("4.2", "Restart policies", SpecRule.Level.MUST),
            new SpecRule("4.3", "The failing message is reported, not retried; the mailbox is kept", SpecRule.Level.MUST),
            new SpecRule("4.4", "Exponential backoff", SpecRule.Level.MUST),
            new SpecRule("4.5", "Failures are published", SpecRule.Level.MUST),
            new SpecRule("4.6", "A start failure follows the same policy", SpecRule.Level.MUST),
            new SpecRule("4.7", "Death watch", SpecRule.Level.MUST),
            new SpecRule("4.8", "A restart keeps the identity", SpecRule.Level.MUST),
            new SpecRule("4.9", "Fatal errors end the process", SpecRule.Level.MUST),
            new SpecRule("5.1", "An ask completes exactly once", SpecRule.Level.MUST),
            new SpecRule("5.2", "A timeout names what was asked", SpecRule.Level.MUST),
            new SpecRule("5.3", "An ask that cannot be sent fails at once", SpecRule.Level.MUST),
            new SpecRule("5.4", "Replies are one-shot", SpecRule.Level.MUST),
            new SpecRule("5.5", "Asking from an agent never blocks it", SpecRule.Level.MUST),
            new SpecRule("5.6", "Cyclic asks never deadlock", SpecRule.Level.MUST),
            new SpecRule("5.7", "The target terminates first", SpecRule.Level.MUST),
            new SpecRule("5.8", "A handler that throws fails its ask", SpecRule.Level.MUST),
            new SpecRule("6.1", "Typed, named topics", SpecRule.Level.MUST),
            new SpecRule("6.2", "A subscription is acknowledged", SpecRule.Level.MUST),
            new SpecRule("6.3", "Per-publisher order", SpecRule.Level.MUST),
            new SpecRule("6.4", "Unsubscribe", SpecRule.Level.MUST),
            new SpecRule("6.5", "Terminated subscribers are removed", SpecRule.Level.MUST),
            new SpecRule("6.6", "A slow subscriber does not slow the others", SpecRule.Level.MUST),
            new SpecRule("6.7", "System topics", SpecRule.Level.MUST),
            new SpecRule("6.8", "A topic without subscribers costs nothing", SpecRule.Level.MUST),
            new SpecRule("6.9", "A subscription with an adapter", SpecRule.Level.MUST),
            new SpecRule("7.1", "Keyed one-shot and fixed-rate timers", SpecRule.Level.MUST),
            new SpecRule("7.2", "Never early", SpecRule.Level.MUST),
            new SpecRule("7.3", "Cancel is exact", SpecRule.Level.MUST),
            new SpecRule("7.4", "Timers end with the instance", SpecRule.Level.MUST),
            new SpecRule("7.5", "Timers respect the bound", SpecRule.Level.MUST),
            new SpecRule("7.6", "Timers are agent-thread only", SpecRule.Level.MUST),
            new SpecRule("8.1", "Spawn returns a typed ref with a fresh id", SpecRule.Level.MUST),
            new SpecRule("8.2", "Unique names", SpecRule.Level.MUST),
            new SpecRule("8.3", "Counters add up", SpecRule.Level.MUST),
            new SpecRule("8.4", "Mailbox depth is readable", SpecRule.Level.MUST),
            new SpecRule("8.5", "Registry operations are thread-safe and non-blocking", SpecRule.Level.MUST),
            new SpecRule("8.6", "After shutdown starts, nothing new is accepted", SpecRule.Level.MUST),
            new SpecRule("8.7", "Shutdown is graceful, then bounded", SpecRule.Level.MUST),
            new SpecRule("8.8", "Deterministic scheduling", SpecRule.Level.MAY),
            new SpecRule("8.9", "Shutdown is not called from an agent", SpecRule.Level.MUST),
            new SpecRule("8.10", "Durations beyond the clock mean \"never\"", SpecRule.Level.MUST),
            new SpecRule("8.11", "Control calls are awaitable", SpecRule.Level.MUST),
            new SpecRule("8.12", "Callbacks log with their agent and correlation id", SpecRule.Level.SHOULD),
            new SpecRule("9.1", "Exactly one response per accepted request, in order", SpecRule.Level.MUST),
            new SpecRule("9.2", "Each request is handled by an agent", SpecRule.Level.MUST),
            new SpecRule("9.3", "Errors are HTTP statuses, never a crash", SpecRule.Level.MUST),
            new SpecRule("9.4", "Background work is fire-and-forget with an observable outcome", SpecRule.Level.MUST),
            new SpecRule("9.5", "Each WebSocket connection is an agent", SpecRule.Level.MUST),
            new SpecRule("9.6", "A closed connection's agent terminates, its subscriptions go at once", SpecRule.Level.MUST),
            new SpecRule("9.7", "Slow and oversized clients are bounded", SpecRule.Level.MUST),
            new SpecRule("9.8", "Server shutdown is graceful, then bounded", SpecRule.Level.MUST),
            new SpecRule("9.9", "Idle and slow connections are closed", SpecRule.Level.MUST),
            new SpecRule("9.10", "Memory, connections and time are bounded, whatever clients do", SpecRule.Level.MUST),
            new SpecRule("9.11", "Host and Origin are checked", SpecRule.Level.MUST),
            new SpecRule("9.12", "The server speaks HTTP/1.1", SpecRule.Level.MUST),
            new SpecRule("9.13", "The request target is taken as sent", SpecRule.Level.MUST),
            new SpecRule("9.14", "WebSocket frames follow RFC 6455", SpecRule.Level.MUST));

    private static final Map<String, SpecRule> BY_ID =
            ALL.stream().collect(Collectors.toUnmodifiableMap(SpecRule::id, Function.identity()));
    private static final Pattern CITATION = Pattern.compile("(required|optional|untested)_spec_(\\d+)_(\\d+)(?:_|$)");

    private SpecRules() {
    }

    /**
     * @param id a rule id such as {@code "2.2"}
     * @return the rule, if the spec has it
     */
    public static Optional<SpecRule> byId(final String id) {
        return Optional.ofNullable(BY_ID.get(id));
    }

    /**
     * Reads the rule a kit test method cites: {@code required_spec_2_2_...} cites 2.2.
     *
     * @param methodName a test method name
     * @return the rule id, if the name cites one
     */
    public static Optional<String> idFromMethodName(final String methodName) {
        final Matcher m = CITATION.matcher(methodName);
        return m.find() ? Optional.of(m.group(2) + "." + m.group(3)) : Optional.empty();
    }
}
