package dev.flin.todo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.http.ExpiredAsks;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.Reply;
import dev.flin.testkit.FlinTestKit;
import dev.flin.testkit.TestProbe;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store and the bridge of one node in one runtime, on a fresh PostgreSQL database: what the
 * multi-node processes cannot easily show. A notification too large for NOTIFY travels without its
 * entity and the bridge reads the change from the log; changes pruned from the log while a bridge
 * was away are counted as dropped, never silently skipped. Skipped without a PostgreSQL server.
 */
class TodoBridgePostgresTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private SharedDatabase database;
    private FlinTestKit kit;
    private TestProbe<EntityChanged> events;

    @BeforeEach
    void start() throws Exception {
        database = SharedDatabase.create();
        kit = FlinTestKit.create();
        events = kit.createProbe(EntityChanged.class);
        kit.runtime().subscribe(TodoTopics.TODO, events.ref());
    }

    @AfterEach
    void stop() throws Exception {
        try {
            kit.close();
        } finally {
            database.close();
        }
    }

    private AgentRef<TodoCommand> store(final ChangeLog log) {
        return TodoStore.spawn(kit.runtime(), database.nodes(), Clock.systemUTC(), 64, TodoStore.defaultRestartPolicy(),
                ExpiredAsks.create(), log.node(), log);
    }

    private static Todo ask(final AgentRef<TodoCommand> store, final Function<Reply<Todo>, TodoCommand> request)
            throws Exception {
        return store.<Todo>ask(request, WAIT).toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static BridgeStats listening(final AgentRef<TodoBridge.Signal> bridge, final BridgeStats stats) throws Exception {
        stats.firstConnection().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        return stats;
    }

    @Test
    void aChangeTooLargeForItsNotificationIsReadFromTheLog() throws Exception {
        final ChangeLog log = new ChangeLog("big", 1000, 80);   // the limit cuts every whole notice here
        final AgentRef<TodoCommand> store = store(log);
        final BridgeStats stats = new BridgeStats("big");
        listening(TodoBridge.spawn(kit.runtime(), database.nodes(), log, stats), stats);

        final Todo created = ask(store, r -> new TodoCommand.Create("é".repeat(TodoValidation.MAX_TITLE_LENGTH), r));
        final Todo done = ask(store, r -> new TodoCommand.Update(created.id(), null, true, 1L, r));
        assertEquals(new EntityChanged("todo", EntityChanged.Change.CREATED, created, 1, "big"), events.expectMessage(WAIT));
        assertEquals(new EntityChanged("todo", EntityChanged.Change.UPDATED, done, 2, "big"), events.expectMessage(WAIT));
        assertEquals(2, stats.published());
        assertEquals(2L, stats.asMap().get("readFromLog"), "both came without their entity: " + stats.asMap());
        assertTrue(log.payload(new EntityChanged("todo", EntityChanged.Change.CREATED, created, 1, "big")).length() < 80 * 2,
                "the notice without its entity is small");
        assertEquals(0, stats.dropped());
    }

    @Test
    void aNodeWithoutTheBridgeIsRefusedOnADatabaseWhoseNodesRunIt() throws Exception {
        final JdbcSettings pg = database.nodes();
        final TodoOptions single = TodoOptions.defaults().withJdbc(pg.url(), pg.user(), pg.password());
        StartupChecks.requireDatabaseOpens(single);   // a fresh database: one node without the bridge is fine

        final ChangeLog log = new ChangeLog("bridged", 10, ChangeLog.DEFAULT_NOTIFY_LIMIT_BYTES);
        ask(store(log), r -> new TodoCommand.Create("made by a bridged node", r));
        final StartupFailure refused = org.junit.jupiter.api.Assertions.assertThrows(StartupFailure.class,
                () -> StartupChecks.requireDatabaseOpens(single));
        assertTrue(refused.getMessage().contains("has the bridge's change log (todo_change_seq)")
                && refused.getMessage().endsWith("start it with --bridge postgres"), refused.getMessage());
        StartupChecks.requireDatabaseOpens(single.withNode("another", true));   // with the bridge it may join
    }

    @Test
    void changesPrunedWhileTheBridgeWasAwayAreCountedAsDroppedAndTheRestIsCaughtUp() throws Exception {
        final ChangeLog log = new ChangeLog("pruned", 2, ChangeLog.DEFAULT_NOTIFY_LIMIT_BYTES, 1);   // keeps the last 2
        final AgentRef<TodoCommand> store = store(log);
        final BridgeStats stats = new BridgeStats("pruned");
        final AgentRef<TodoBridge.Signal> first = TodoBridge.spawn(kit.runtime(), database.nodes(), log, stats);
        listening(first, stats);
        final Todo a = ask(store, r -> new TodoCommand.Create("a", r));
        assertEquals(1, events.expectMessage(WAIT).sequence());

        // away: its position (1) is kept in its figures; the name is free once it has terminated (rule 8.2)
        kit.runtime().stop(first.id()).toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        final Todo b = ask(store, r -> new TodoCommand.Create("b", r));
        final Todo c = ask(store, r -> new TodoCommand.Create("c", r));
        final Todo a2 = ask(store, r -> new TodoCommand.Update(a.id(), "a again", null, r));
        final Todo c2 = ask(store, r -> new TodoCommand.Delete(c.id(), r));
        assertEquals(List.of(4L, 5L), database.changeLog().stream().map(SharedDatabase.Logged::seq).toList(),
                "the log kept the last two changes");

        final AgentRef<TodoBridge.Signal> again = TodoBridge.spawn(kit.runtime(), database.nodes(), log, stats);
        assertEquals(new EntityChanged("todo", EntityChanged.Change.UPDATED, a2, 4, "pruned"), events.expectMessage(WAIT));
        assertEquals(new EntityChanged("todo", EntityChanged.Change.DELETED, c2, 5, "pruned"), events.expectMessage(WAIT));
        assertEquals(2, stats.dropped(), "changes 2 and 3 (b and c created) were gone: " + stats.asMap());
        assertEquals(2, stats.resynchronised(), stats.asMap().toString());
        assertEquals(5, stats.lastSequence());
        assertTrue(b.id() > 0 && again.id() != null);
    }
}
