package dev.flin.examples;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentFailure;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.Backoff;
import dev.flin.runtime.Reply;
import dev.flin.runtime.RestartPolicy;
import dev.flin.runtime.RuntimeCounters;
import dev.flin.runtime.Signal;
import dev.flin.runtime.SpawnOptions;
import dev.flin.runtime.SystemTopics;
import dev.flin.runtime.Topic;
import dev.flin.runtime.core.FlinRuntime;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A tour of the runtime doing real work: request-response, publish-subscribe, fire-and-forget,
 * a timer, a failing agent restarted, a paused agent resumed, death watch and a graceful
 * shutdown, then the registry counters, which add up.
 *
 * <p>Every agent here owns its state in plain fields and talks to others only by messages. The
 * main thread is not an agent: it may wait on a stage; agents never do.
 */
public final class Tour {

    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(5);

    private Tour() {
    }

    // ---------------------------------------------------------------- messages (immutable records)

    /** A todo entity. */
    public record Todo(long id, String title, boolean done) { }

    /** What changed about an entity. */
    public enum ChangeType { CREATE, UPDATE, DELETE }

    /** Published on the entity type's topic after every save and delete. */
    public record EntityChanged(String entityType, ChangeType change, Todo entity) implements DashboardMessage { }

    /** Messages of the store agent. */
    public sealed interface StoreMessage permits Save, Complete, Count { }

    /** Create a todo; replies with the saved entity. */
    public record Save(String title, Reply<Todo> replyTo) implements StoreMessage { }

    /** Mark a todo done; replies with the updated entity. */
    public record Complete(long id, Reply<Todo> replyTo) implements StoreMessage { }

    /** How many todos are stored. */
    public record Count(Reply<Integer> replyTo) implements StoreMessage { }

    /** Messages of the dashboard agent. */
    public sealed interface DashboardMessage permits EntityChanged, Seen { }

    /** How many changes the dashboard has seen. */
    public record Seen(Reply<Integer> replyTo) implements DashboardMessage { }

    /** Messages of the mailer, a background agent. */
    public sealed interface MailMessage permits SendEmail, Sent { }

    /** Fire-and-forget work. */
    public record SendEmail(String to, String subject) implements MailMessage { }

    /** How many emails were sent. */
    public record Sent(Reply<Integer> replyTo) implements MailMessage { }

    /** Messages of the flaky agent. */
    public record Work(String input, Reply<String> replyTo) { }

    /** Timer tick of the heartbeat agent. */
    public enum Tick { START, BEAT }

    // ---------------------------------------------------------------- agents

    /** Owns the todos; publishes every change on its topic. */
    static final class StoreAgent implements Agent<StoreMessage> {
        static final Topic<EntityChanged> TODO_TOPIC = Topic.of("entity.Todo", EntityChanged.class);
        private final Map<Long, Todo> todos = new HashMap<>();
        private long nextId = 1;

        @Override
        public void onMessage(final StoreMessage message, final AgentContext<StoreMessage> ctx) {
            if (message instanceof Save save) {
                final Todo todo = new Todo(nextId++, save.title(), false);
                todos.put(todo.id(), todo);
                ctx.runtime().publish(TODO_TOPIC, new EntityChanged("Todo", ChangeType.CREATE, todo));
                save.replyTo().reply(todo);
            } else if (message instanceof Complete complete) {
                final Todo updated = todos.computeIfPresent(complete.id(), (id, t) -> new Todo(id, t.title(), true));
                if (updated == null) {
                    complete.replyTo().fail(new IllegalArgumentException("no todo " + complete.id()));
                    return;
                }
                ctx.runtime().publish(TODO_TOPIC, new EntityChanged("Todo", ChangeType.UPDATE, updated));
                complete.replyTo().reply(updated);
            } else if (message instanceof Count count) {
                count.replyTo().reply(todos.size());
            }
        }
    }

    /** Subscribes to todo changes, as a WebSocket connection agent would. */
    static final class DashboardAgent implements Agent<DashboardMessage> {
        private final PrintStream out;
        private int seen;

        DashboardAgent(final PrintStream out) {
            this.out = out;
        }

        @Override
        public void onStart(final AgentContext<DashboardMessage> ctx) {
            ctx.subscribe(StoreAgent.TODO_TOPIC);
        }

        @Override
        public void onMessage(final DashboardMessage message, final AgentContext<DashboardMessage> ctx) {
            if (message instanceof EntityChanged changed) {
                seen++;
                out.println("  dashboard: " + changed.change() + " " + changed.entity());
            } else if (message instanceof Seen query) {
                query.replyTo().reply(seen);
            }
        }
    }

    /** Background work: the "send email in background" pattern. */
    static final class MailerAgent implements Agent<MailMessage> {
        private final PrintStream out;
        private int sent;

        MailerAgent(final PrintStream out) {
            this.out = out;
        }

        @Override
        public void onMessage(final MailMessage message, final AgentContext<MailMessage> ctx) {
            if (message instanceof SendEmail email) {
                sent++;
                out.println("  mailer: sent '" + email.subject() + "' to " + email.to());
            } else if (message instanceof Sent query) {
                query.replyTo().reply(sent);
            }
        }
    }

    /** Fails on "boom"; restarted by its policy with a fresh instance. */
    static final class FlakyAgent implements Agent<Work> {
        private int handledByThisInstance;

        @Override
        public void onMessage(final Work work, final AgentContext<Work> ctx) {
            if ("boom".equals(work.input())) {
                throw new IllegalStateException("cannot handle " + work.input());
            }
            handledByThisInstance++;
            work.replyTo().reply(work.input().toUpperCase(Locale.ROOT) + " (instance #" + ctx.restartCount()
                    + ", message " + handledByThisInstance + " of this instance)");
        }
    }

    /** Starts a fixed-rate timer when told to, and stops itself after three ticks. */
    static final class HeartbeatAgent implements Agent<Tick> {
        private final PrintStream out;
        private int ticks;

        HeartbeatAgent(final PrintStream out) {
            this.out = out;
        }

        @Override
        public void onMessage(final Tick tick, final AgentContext<Tick> ctx) {
            if (tick == Tick.START) {
                ctx.timers().startFixedRate("beat", Tick.BEAT, Duration.ofMillis(20), Duration.ofMillis(20));
                return;
            }
            ticks++;
            out.println("  heartbeat: tick " + ticks);
            if (ticks == 3) {
                ctx.stop();
            }
        }
    }

    /** Prints every failure published on the system topic, with the policy's decision. */
    static final class FailureMonitorAgent implements Agent<AgentFailure> {
        private final PrintStream out;

        FailureMonitorAgent(final PrintStream out) {
            this.out = out;
        }

        @Override
        public void onStart(final AgentContext<AgentFailure> ctx) {
            ctx.subscribe(SystemTopics.FAILURES);
        }

        @Override
        public void onMessage(final AgentFailure failure, final AgentContext<AgentFailure> ctx) {
            out.println("  monitor: " + failure.agent() + " failed handling "
                    + failure.messageType().getSimpleName() + " (" + failure.cause().getMessage() + ") -> "
                    + failure.decision());
        }
    }

    /**
     * Watches the heartbeat and reports its termination (death watch). It starts the heartbeat only
     * once it watches it: watching an agent that has already terminated signals {@code UNKNOWN}
     * (rule 4.7), which is what a slow start would otherwise show.
     */
    static final class WatcherAgent implements Agent<String> {
        private final PrintStream out;
        private final AgentRef<Tick> watched;
        private final CompletableFuture<Signal.Terminated> told;

        WatcherAgent(final PrintStream out, final AgentRef<Tick> watched, final CompletableFuture<Signal.Terminated> told) {
            this.out = out;
            this.watched = watched;
            this.told = told;
        }

        @Override
        public void onStart(final AgentContext<String> ctx) {
            ctx.watch(watched.id());
            watched.tell(Tick.START);
        }

        @Override
        public void onMessage(final String message, final AgentContext<String> ctx) {
            out.println("  watcher: " + message);
        }

        @Override
        public void onSignal(final Signal signal, final AgentContext<String> ctx) {
            if (signal instanceof Signal.Terminated terminated) {
                out.println("  watcher: " + terminated.agent() + " terminated (" + terminated.cause() + ")");
                told.complete(terminated);
            }
        }
    }

    // ---------------------------------------------------------------- the tour

    /**
     * Runs the tour and prints what happens.
     *
     * @param args ignored
     * @throws Exception if a step does not complete, which would be a bug
     */
    public static void main(final String[] args) throws Exception {
        final boolean consistent = run(System.out);
        System.exit(consistent ? 0 : 1);
    }

    /**
     * @param out where to print
     * @return whether the final counters add up
     * @throws Exception if a step does not complete
     */
    public static boolean run(final PrintStream out) throws Exception {
        final AgentRuntime runtime = FlinRuntime.create();
        out.println("FLIN runtime tour");

        out.println("1. request-response and publish-subscribe: a store agent publishes entity changes");
        final AgentRef<DashboardMessage> dashboard = runtime.spawn(DashboardMessage.class, () -> new DashboardAgent(out));
        final AgentRef<StoreMessage> store = runtime.spawn(StoreMessage.class, StoreAgent::new,
                SpawnOptions.defaults().withName("todo-store"));
        awaitSubscribed(runtime, StoreAgent.TODO_TOPIC);
        final Todo milk = await(store.<Todo>ask(reply -> new Save("buy milk", reply), ASK_TIMEOUT));
        await(store.<Todo>ask(reply -> new Save("write spec", reply), ASK_TIMEOUT));
        final Todo done = await(store.<Todo>ask(reply -> new Complete(milk.id(), reply), ASK_TIMEOUT));
        final int seen = await(dashboard.ask(Seen::new, ASK_TIMEOUT));
        out.println("  store replied: " + done + "; found by name: " + runtime.lookup("todo-store").orElseThrow());
        out.println("  dashboard saw " + seen + " changes");

        out.println("2. fire-and-forget to a background agent, paused and resumed");
        final AgentRef<MailMessage> mailer = runtime.spawn(MailMessage.class, () -> new MailerAgent(out));
        runtime.pause(mailer.id());
        awaitState(runtime, mailer, dev.flin.runtime.AgentState.PAUSED);
        for (int i = 1; i <= 3; i++) {
            mailer.tell(new SendEmail("user" + i + "@example.org", "welcome #" + i));
        }
        out.println("  mailer paused with " + runtime.mailboxDepth(mailer.id()) + " emails waiting");
        runtime.resume(mailer.id());
        final int sent = await(mailer.ask(Sent::new, ASK_TIMEOUT));
        out.println("  mailer resumed and sent " + sent);

        out.println("3. a failing agent restarted by its policy (on failure, at most 3 in a minute, backoff)");
        final AgentRef<AgentFailure> monitor = runtime.spawn(AgentFailure.class, () -> new FailureMonitorAgent(out));
        awaitSubscribed(runtime, SystemTopics.FAILURES);
        final AgentRef<Work> flaky = runtime.spawn(Work.class, FlakyAgent::new, SpawnOptions.defaults()
                .withRestartPolicy(RestartPolicy.onFailure(3, Duration.ofMinutes(1),
                        Backoff.exponential(Duration.ofMillis(10), Duration.ofSeconds(1)))));
        out.println("  " + await(flaky.<String>ask(reply -> new Work("hello", reply), ASK_TIMEOUT)));
        final var failed = flaky.<String>ask(reply -> new Work("boom", reply), ASK_TIMEOUT).toCompletableFuture();
        out.println("  " + await(flaky.<String>ask(reply -> new Work("again", reply), ASK_TIMEOUT)));
        out.println("  monitor is " + monitor.id() + "; the failing request was reported, not retried: "
                + (failed.isDone() ? "completed?!" : "pending until its timeout"));

        out.println("4. a timer, and death watch");
        final CompletableFuture<Signal.Terminated> told = new CompletableFuture<>();
        final AgentRef<Tick> heartbeat = runtime.spawn(Tick.class, () -> new HeartbeatAgent(out));
        runtime.spawn(String.class, () -> new WatcherAgent(out, heartbeat, told));
        told.get(10, TimeUnit.SECONDS);

        out.println("5. graceful shutdown");
        final boolean graceful = runtime.shutdown(Duration.ofSeconds(5));
        final RuntimeCounters c = runtime.counters();
        out.println("  graceful: " + graceful);
        out.println("counters: spawned=" + c.spawned() + " terminated=" + c.terminated() + " alive=" + c.alive()
                + " restarts=" + c.restarts() + " failures=" + c.failures());
        out.println("          accepted=" + c.accepted() + " processed=" + c.processed()
                + " deadLetters=" + c.deadLetters() + " staleTimerMessages=" + c.staleTimerMessages()
                + " queued=" + c.queued());
        out.println("          rejectedFull=" + c.rejectedFull() + " rejectedNotFound=" + c.rejectedNotFound()
                + " lateReplies=" + c.lateReplies() + " droppedEvents=" + c.droppedEvents());
        final boolean addsUp = c.spawned() == c.alive() + c.terminated()
                && c.accepted() == c.processed() + c.deadLetters() + c.staleTimerMessages() + c.queued();
        out.println("          accepted == processed + deadLetters + staleTimerMessages + queued: " + addsUp);
        return graceful && addsUp;
    }

    private static void awaitSubscribed(final AgentRuntime runtime, final Topic<?> topic) {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (runtime.subscriberCount(topic) == 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("nobody subscribed to " + topic.name());
            }
            Thread.onSpinWait();
        }
    }

    private static void awaitState(final AgentRuntime runtime, final AgentRef<?> ref,
                                   final dev.flin.runtime.AgentState state) {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (runtime.state(ref.id()).orElse(null) != state) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(ref + " did not reach " + state);
            }
            Thread.onSpinWait();
        }
    }

    private static <T> T await(final java.util.concurrent.CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
