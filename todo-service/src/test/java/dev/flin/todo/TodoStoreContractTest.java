package dev.flin.todo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.http.ExpiredAsks;
import dev.flin.http.HttpException;
import dev.flin.runtime.AgentFailure;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.Reply;
import dev.flin.testkit.FlinTestKit;
import dev.flin.testkit.TestProbe;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store agent against a real database: CRUD, pages, one event per committed change in commit
 * order, typed errors (404; 400 and 409 for what the database refuses; 503 while it cannot write),
 * restarts that reopen a lost connection and no restart for anything else, a read-only database,
 * titles that read back exactly, and requests whose asker stopped waiting. Each subclass is one
 * database: an H2 file in a temporary directory ({@link TodoStoreH2Test}) and a PostgreSQL server
 * ({@link TodoStorePostgresTest}).
 *
 * <p>The store runs in a {@link FlinTestKit} on the real worker pool (it is a JDBC agent on the
 * blocking dispatcher); a {@link TestProbe} takes what it announces on {@link TodoTopics#TODO}. Closing
 * the kit fails the test if an agent failed without the test expecting it ({@code kit.expectFailure}).
 */
abstract class TodoStoreContractTest {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final String NODE = "test-node";

    /** @return the event the store publishes for {@code change} of {@code todo} without a change log */
    static EntityChanged changed(final EntityChanged.Change change, final Todo todo) {
        return new EntityChanged(TodoTopics.TODO_ENTITY, change, todo, 0, NODE);
    }

    /** @return the database under test, empty of todos (no {@code todo} table, or an empty one) */
    abstract JdbcSettings database() throws Exception;

    /** Kills the store's connection from outside, as a database restart or a network cut would. */
    abstract void killTheStoresConnection() throws Exception;

    /**
     * Makes the database read-only for the connections opened from now on (the store of this test
     * is stopped first).
     *
     * @return the settings to open it with
     */
    abstract JdbcSettings makeReadOnly() throws Exception;

    /** Undoes {@link #makeReadOnly}; called even when the test failed. */
    abstract void makeWritableAgain() throws Exception;

    /**
     * From another connection, makes every later insert, update and delete of a todo fail with
     * SQLState 53100 (disk full), as a database whose disk filled up would, until {@link #letWritesSucceedAgain}.
     */
    abstract void makeWritesFailAsIfTheDiskWereFull(Connection other) throws Exception;

    /** Undoes {@link #makeWritesFailAsIfTheDiskWereFull}. */
    abstract void letWritesSucceedAgain(Connection other) throws Exception;

    private final MutableClock clock = new MutableClock(Instant.parse("2025-01-02T03:04:05.123456789Z"));
    private FlinTestKit kit;
    private AgentRef<TodoCommand> store;
    /** What the store announces on {@link TodoTopics#TODO}, on the current kit. */
    private TestProbe<EntityChanged> events;

    private JdbcSettings database;
    private final ExpiredAsks expired = ExpiredAsks.create();

    @BeforeEach
    void start() throws Exception {
        database = database();
        startKit();
        store = TodoStore.spawn(kit.runtime(), database, clock, 64, TodoStore.defaultRestartPolicy(), expired, NODE, null);
    }

    /** A new kit on the worker pool, its probe subscribed to what the store announces. */
    private void startKit() {
        kit = FlinTestKit.create();
        events = kit.createProbe(EntityChanged.class);
        kit.runtime().subscribe(TodoTopics.TODO, events.ref());
    }

    /** Fails the test if an agent failed unexpectedly or the runtime did not shut down in time. */
    @AfterEach
    void stop() {
        if (kit != null) { // null when the database was not there (a skipped test)
            kit.close();
        }
    }

    private <R> R ask(final Function<Reply<R>, TodoCommand> request) throws Exception {
        return store.ask(request, WAIT).toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    Todo todo(final Function<Reply<Todo>, TodoCommand> request) throws Exception {
        return ask(request);
    }

    List<Todo> all() throws Exception {
        final TodoPage page = ask(r -> new TodoCommand.List(0, TodoValidation.MAX_PAGE_LIMIT, r));
        assertFalse(page.more(), "the tests keep fewer todos than a page holds");
        return page.todos();
    }

    private TodoPage page(final long after, final int limit) throws Exception {
        return ask(r -> new TodoCommand.List(after, limit, r));
    }

    private HttpException httpFailure(final Function<Reply<Todo>, TodoCommand> request) throws Exception {
        return assertInstanceOf(HttpException.class, askFailure(request));
    }

    private Throwable askFailure(final Function<Reply<Todo>, TodoCommand> request) throws Exception {
        final ExecutionException e = assertThrows(ExecutionException.class,
                () -> store.ask(request, WAIT).toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS));
        return e.getCause();
    }

    private EntityChanged nextEvent() {
        return events.expectMessage(WAIT);
    }

    /** Nothing more is announced (the probe watches for the kit's no-message wait). */
    private void expectNoEvent(final String why) {
        try {
            events.expectNoMessage();
        } catch (AssertionError e) {
            throw new AssertionError(why + ": " + e.getMessage(), e);
        }
    }

    /**
     * Rule 1.7: the store runs on the blocking dispatcher, so it answers while every worker of the
     * runtime's shared pool (one per processor) is held by an agent blocked in its handler.
     */
    @Test
    void spec_1_7_answersWhileEverySharedWorkerIsHeld() throws Exception {
        final int workers = Runtime.getRuntime().availableProcessors(); // FlinTestKit.create()'s pool, FlinRuntime's default
        final java.util.concurrent.CountDownLatch allHeld = new java.util.concurrent.CountDownLatch(workers);
        final java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
        try {
            for (int w = 0; w < workers; w++) {
                kit.spawn(Integer.class, () -> (m, ctx) -> {
                    allHeld.countDown();
                    gate.await(WAIT.toMillis() * 2, TimeUnit.MILLISECONDS);
                }).tell(w);
            }
            assertTrue(allHeld.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "every shared worker held");
            final Todo created = todo(r -> new TodoCommand.Create("while the pool is busy", r));
            assertEquals("while the pool is busy", created.title());
        } finally {
            gate.countDown();
        }
    }

    @Test
    void createsReadsUpdatesAndDeletesWithOneEventPerCommittedChange() throws Exception {
        final Instant t0 = Instant.parse("2025-01-02T03:04:05.123456Z");   // the clock, to the microsecond
        final Todo created = todo(r -> new TodoCommand.Create("  buy milk  ", r));
        assertEquals(new Todo(created.id(), "buy milk", false, t0, t0, 1), created);
        assertEquals(changed(EntityChanged.Change.CREATED, created), nextEvent());
        assertEquals(created, todo(r -> new TodoCommand.Get(created.id(), r)));

        clock.advance(Duration.ofSeconds(1));
        final Todo renamed = todo(r -> new TodoCommand.Update(created.id(), "buy oat milk", null, r));
        assertEquals(new Todo(created.id(), "buy oat milk", false, t0, t0.plusSeconds(1), 2), renamed);
        assertEquals(changed(EntityChanged.Change.UPDATED, renamed), nextEvent());

        clock.advance(Duration.ofSeconds(1));
        final Todo done = todo(r -> new TodoCommand.Update(created.id(), null, true, r));
        assertEquals(new Todo(created.id(), "buy oat milk", true, t0, t0.plusSeconds(2), 3), done);
        assertEquals(changed(EntityChanged.Change.UPDATED, done), nextEvent());

        // A change that changes nothing writes nothing and announces nothing: the next event is the second todo's.
        assertEquals(done, todo(r -> new TodoCommand.Update(created.id(), "buy oat milk", true, r)));
        final Todo second = todo(r -> new TodoCommand.Create("call Ada", r));
        assertTrue(second.id() > created.id(), "ids grow");
        assertEquals(changed(EntityChanged.Change.CREATED, second), nextEvent());

        assertEquals(List.of(done, second), all());

        assertEquals(done, todo(r -> new TodoCommand.Delete(created.id(), r)));
        assertEquals(changed(EntityChanged.Change.DELETED, done), nextEvent());
        assertEquals(List.of(second), all());
        expectNoEvent("exactly one event per change");
    }

    @Test
    void unknownIdsFailWithA404NamingTheIdAndChangeNothing() throws Exception {
        for (final Function<Reply<Todo>, TodoCommand> request : List.<Function<Reply<Todo>, TodoCommand>>of(
                r -> new TodoCommand.Get(42, r),
                r -> new TodoCommand.Update(42, "x", null, r),
                r -> new TodoCommand.Delete(42, r))) {
            final HttpException notFound = assertInstanceOf(HttpException.class, askFailure(request));
            assertEquals(404, notFound.status());
            assertEquals("no todo has id 42", notFound.getMessage());
        }
        assertEquals(List.of(), all());
        expectNoEvent("nothing changed, nothing announced");
        assertTrue(kit.failures().isEmpty(), "a 404 is an answer, not a failure of the store: " + kit.failures());
    }

    @Test
    void titlesAreCheckedWhenTheMessageIsBuiltAndTheColumnHoldsTheLongestValidOne() throws Exception {
        final Reply<Todo> unused = null;
        assertEquals("title is required", assertThrows(HttpException.class, () -> new TodoCommand.Create(null, unused)).getMessage());
        assertEquals("title must not be blank", assertThrows(HttpException.class, () -> new TodoCommand.Create(" \t", unused)).getMessage());
        assertEquals("title must be at most 200 characters, was 201",
                assertThrows(HttpException.class, () -> new TodoCommand.Create("x".repeat(201), unused)).getMessage());

        // The limit counts UTF-16 units, as the column does: 100 emoji fit, one more character does not.
        assertEquals("title must be at most 200 characters, was 201",
                assertThrows(HttpException.class, () -> new TodoCommand.Create("\uD83D\uDCDD".repeat(100) + "x", unused))
                        .getMessage());
        final String longest = "\uD83D\uDCDD".repeat(100);
        final Todo stored = todo(r -> new TodoCommand.Create(longest, r));
        assertEquals(longest, stored.title());
        assertEquals(longest, todo(r -> new TodoCommand.Get(stored.id(), r)).title());
    }

    @Test
    void aDatabaseFailureFailsThatRequestAndTheRestartReopensTheConnectionWithTheDataKept() throws Exception {
        final Todo kept = todo(r -> new TodoCommand.Create("survive a restart", r));
        nextEvent();

        killTheStoresConnection();

        final Throwable failed = askFailure(r -> new TodoCommand.Get(kept.id(), r));
        assertInstanceOf(TodoStoreException.class, failed, "the request that hit the dead connection fails with the store's error");

        final AgentFailure failure = kit.expectFailure("the failure is published (rule 4.5): the store's error in a message",
                f -> f.phase() == AgentFailure.Phase.MESSAGE && f.cause() instanceof TodoStoreException
                        && f.cause().getCause() instanceof SQLException);
        assertSame(failed, failure.cause(), "the asker got the very failure the agent had (rule 5.8)");
        assertEquals(store.id(), failure.agent());
        assertEquals(AgentFailure.Decision.RESTART, failure.decision());
        // The restart first stops the failed instance; its onStop's rollback on the dead connection fails
        // quietly, so the lost connection is one failure, not two (the kit's close checks there is no other).
        // The restarted instance opened a fresh connection; the data is still there.
        assertEquals(List.of(kept), all());
        assertEquals(1L, kit.runtime().counters().restarts());
    }

    @Test
    void todosSurviveStoppingAndStartingAgainOnTheSameDatabase() throws Exception {
        final Todo first = todo(r -> new TodoCommand.Create("first", r));
        final long secondId = todo(r -> new TodoCommand.Create("second", r)).id();
        final Todo second = todo(r -> new TodoCommand.Update(secondId, null, true, r));
        assertTrue(kit.runtime().shutdown(Duration.ofSeconds(10)), "the store stops gracefully and closes its connection");
        kit.close();   // and nothing failed, the stop included

        startKit();
        store = TodoStore.spawn(kit.runtime(), database, clock, 64, TodoStore.defaultRestartPolicy(), expired, NODE, null);
        assertEquals(List.of(first, second), all());
        final Todo third = todo(r -> new TodoCommand.Create("third", r));
        assertTrue(third.id() > second.id(), "ids are not reused after a restart");
        assertFalse(third.completed());
    }

    @Test
    void pagesFollowTheIdsWithoutGapsOrRepeats() throws Exception {
        final List<Todo> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            final String title = "todo " + i;
            created.add(todo(r -> new TodoCommand.Create(title, r)));
        }
        final TodoPage first = page(0, 2);
        assertEquals(new TodoPage(created.subList(0, 2), true), first);
        final TodoPage second = page(first.nextAfter().orElseThrow(), 2);
        assertEquals(new TodoPage(created.subList(2, 4), true), second);
        final TodoPage last = page(second.nextAfter().orElseThrow(), 2);
        assertEquals(new TodoPage(created.subList(4, 5), false), last);
        assertEquals(new TodoPage(created, false), page(0, 5), "exactly a page full: nothing more follows");
        assertEquals(new TodoPage(List.of(), false), page(created.get(4).id(), 2), "after the last id");
    }

    @Test
    void whatTheDatabaseRefusesIs400Or409AndTheStoreGoesOnWithoutARestart() throws Exception {
        final Todo kept = todo(r -> new TodoCommand.Create("keep", r));
        nextEvent();
        try (Connection other = database.open(); Statement statement = other.createStatement()) {
            statement.execute("ALTER TABLE todo ADD CONSTRAINT title_is_not_nope CHECK (title <> 'nope')");
            statement.execute("ALTER TABLE todo ALTER COLUMN title SET DATA TYPE VARCHAR(5)");
        }

        // Sent together: each is answered for itself; a refusal neither fails the store nor the requests behind it.
        final CompletableFuture<Todo> tooLong = store.<Todo>ask(r -> new TodoCommand.Create("too long", r), WAIT)
                .toCompletableFuture();
        final CompletableFuture<Todo> breaksTheCheck = store.<Todo>ask(r -> new TodoCommand.Create("nope", r), WAIT)
                .toCompletableFuture();
        final CompletableFuture<Todo> renamedTooLong = store.<Todo>ask(r -> new TodoCommand.Update(kept.id(), "far too long", null, r),
                WAIT).toCompletableFuture();
        final CompletableFuture<Todo> fine = store.<Todo>ask(r -> new TodoCommand.Create("fine", r), WAIT).toCompletableFuture();

        assertRefused(tooLong, 400, "the database refused the new todo: a value is too long for its column (SQLState 22001)");
        final HttpException check = refusal(breaksTheCheck);
        assertEquals(409, check.status(), check.getMessage());
        assertTrue(check.getMessage().startsWith("the database refused the new todo: a value breaks a check of the database"),
                check.getMessage());
        assertRefused(renamedTooLong, 400,
                "the database refused the change to todo " + kept.id() + ": a value is too long for its column (SQLState 22001)");
        final Todo created = fine.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals("fine", created.title());

        assertEquals(changed(EntityChanged.Change.CREATED, created), nextEvent());
        assertEquals(List.of(kept, created), all());
        assertTrue(kit.failures().isEmpty(), "a refusal is an answer, not a failure of the store: " + kit.failures());
        assertEquals(0L, kit.runtime().counters().restarts(), "the store was not restarted");
    }

    private static HttpException refusal(final CompletableFuture<Todo> answer) {
        final ExecutionException e = assertThrows(ExecutionException.class, () -> answer.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        return assertInstanceOf(HttpException.class, e.getCause());
    }

    private static void assertRefused(final CompletableFuture<Todo> answer, final int status, final String message) {
        final HttpException refused = refusal(answer);
        assertEquals(status, refused.status(), refused.getMessage());
        assertEquals(message, refused.getMessage());
    }

    @Test
    void aWriteTheDatabaseCannotDoIs503AndPingSaysWhyUntilAWriteSucceedsWithoutARestart() throws Exception {
        final Todo kept = todo(r -> new TodoCommand.Create("keep", r));
        assertEquals(new StoreHealth(productName(), null), ask(TodoCommand.Ping::new));
        try (Connection other = database.open()) {
            makeWritesFailAsIfTheDiskWereFull(other);
            final String reason = "the database's disk is full (SQLState 53100)";
            for (final Function<Reply<Todo>, TodoCommand> write : List.<Function<Reply<Todo>, TodoCommand>>of(
                    r -> new TodoCommand.Create("lost", r),
                    r -> new TodoCommand.Update(kept.id(), null, true, r),
                    r -> new TodoCommand.Delete(kept.id(), r))) {
                final HttpException unavailable = httpFailure(write);
                assertEquals(503, unavailable.status(), unavailable.getMessage());
                assertEquals("the todo store cannot write: " + reason, unavailable.getMessage());
            }
            assertEquals(new StoreHealth(productName(), "the todo store cannot write: " + reason), ask(TodoCommand.Ping::new));
            assertEquals(kept, todo(r -> new TodoCommand.Get(kept.id(), r)), "reads still work");
            assertEquals(new StoreHealth(productName(), "the todo store cannot write: " + reason), ask(TodoCommand.Ping::new),
                    "a read does not clear the failed write");

            letWritesSucceedAgain(other);
        }
        final Todo written = todo(r -> new TodoCommand.Create("written", r));
        assertEquals(new StoreHealth(productName(), null), ask(TodoCommand.Ping::new), "a write succeeded: UP again");
        assertEquals(List.of(kept, written), all());
        assertTrue(kit.failures().isEmpty(), "the store did not fail: " + kit.failures());
        assertEquals(0L, kit.runtime().counters().restarts(), "the store was not restarted");
    }

    private String productName() throws Exception {
        try (Connection c = database.open()) {
            return c.getMetaData().getDatabaseProductName();
        }
    }

    @Test
    void onAReadOnlyDatabaseWritesAre503PingSaysWhyReadsWorkAndNothingRestarts() throws Exception {
        final Todo kept = todo(r -> new TodoCommand.Create("written before", r));
        assertTrue(kit.runtime().shutdown(Duration.ofSeconds(10)), "the writable store stops");
        kit.close();   // and nothing failed, the stop included
        try {
            final JdbcSettings readOnly = makeReadOnly();
            startKit();
            store = TodoStore.spawn(kit.runtime(), readOnly, clock, 64, TodoStore.defaultRestartPolicy(), expired);

            final StoreHealth health = ask(TodoCommand.Ping::new);
            assertFalse(health.up(), "a store that cannot write is DOWN: " + health);
            assertTrue(health.problem().startsWith("the todo store cannot write: "), health.problem());
            assertTrue(health.problem().contains("read-only"), health.problem());

            for (final Function<Reply<Todo>, TodoCommand> write : List.<Function<Reply<Todo>, TodoCommand>>of(
                    r -> new TodoCommand.Create("refused", r),
                    r -> new TodoCommand.Update(kept.id(), "renamed", null, r),
                    r -> new TodoCommand.Delete(kept.id(), r))) {
                final HttpException unavailable = httpFailure(write);
                assertEquals(503, unavailable.status(), unavailable.getMessage());
                assertTrue(unavailable.getMessage().startsWith("the todo store cannot write: the database is read-only (SQLState "),
                        unavailable.getMessage());
            }
            assertEquals(List.of(kept), all(), "reads work");
            assertEquals(kept, todo(r -> new TodoCommand.Get(kept.id(), r)));
            final StoreHealth still = ask(TodoCommand.Ping::new);
            assertFalse(still.up(), "still DOWN: " + still);
            assertTrue(kit.failures().isEmpty(), "the store did not fail: " + kit.failures());
            assertEquals(0L, kit.runtime().counters().restarts(), "the store was not restarted");
        } finally {
            makeWritableAgain();
        }
    }

    @Test
    void aRequestWhoseAskerStoppedWaitingIsNotRunAndIsCounted() throws Exception {
        final Reply<Todo> answeredAlready = new CompletedReply<>();
        store.tell(new TodoCommand.Create("nobody waits for this", answeredAlready));
        // The mailbox is first in, first out: when the list is read, the create has been handled (skipped).
        assertEquals(List.of(), all(), "the expired create wrote nothing");
        assertEquals(1, expired.dropped());
        expectNoEvent("and announced nothing");
        assertEquals("someone waits", todo(r -> new TodoCommand.Create("someone waits", r)).title());
        assertEquals(1, expired.dropped(), "requests still awaited are run, not dropped");
    }

    /** The reply of an ask that timed out: completed, so nothing the store does with it reaches anyone. */
    private static final class CompletedReply<R> implements Reply<R> {
        @Override
        public boolean reply(final R value) {
            return false;
        }

        @Override
        public boolean fail(final Throwable cause) {
            return false;
        }

        @Override
        public boolean isCompleted() {
            return true;
        }
    }

    @Test
    void titlesTheDatabasesCannotStoreExactlyAreRefusedAndTheOthersReadBackExactly() throws Exception {
        final Reply<Todo> unused = null;   // never reached: the title is checked first
        for (final String[] refused : new String[][] {
                {"a\u0000b", "title must not contain NUL (U+0000), found at index 1"},
                {"\uD800", "title must not contain an unpaired surrogate: high surrogate U+D800 at index 0 is not followed by a low surrogate"},
                {"ab\uD83Dc", "title must not contain an unpaired surrogate: high surrogate U+D83D at index 2 is not followed by a low surrogate"},
                {"x\uDC00", "title must not contain an unpaired surrogate: low surrogate U+DC00 at index 1 does not follow a high surrogate"},
                {"\uDE00\uD83D", "title must not contain an unpaired surrogate: low surrogate U+DE00 at index 0 does not follow a high surrogate"}}) {
            final HttpException create = assertThrows(HttpException.class, () -> new TodoCommand.Create(refused[0], unused));
            assertEquals(400, create.status());
            assertEquals(refused[1], create.getMessage());
            assertEquals(refused[1], assertThrows(HttpException.class,
                    () -> new TodoCommand.Update(1, refused[0], null, unused)).getMessage());
        }
        for (final String title : List.of("\uD83D\uDCDD write the \uD83D\uDE00 demo", "e\u0301t\u00E9", "\u4E2D\u6587 \uD834\uDD1E")) {
            final Todo created = todo(r -> new TodoCommand.Create(title, r));
            assertEquals(title, created.title());
            assertEquals(created, todo(r -> new TodoCommand.Get(created.id(), r)), "what was answered is what is stored");
        }
    }
}
