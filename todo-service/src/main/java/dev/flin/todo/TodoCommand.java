package dev.flin.todo;

import dev.flin.http.AskRequest;
import dev.flin.runtime.Reply;
import java.util.Objects;
import java.util.Optional;

/**
 * The messages of the {@link TodoStore} agent. Each carries the {@link Reply} of its ask
 * ({@link AskRequest}); the store completes it after the transaction committed (or failed), and
 * skips a message whose reply is already completed (its HTTP client was answered 504). A request
 * for an id the store does not have fails its reply with {@link dev.flin.http.HttpException#notFound}
 * (404). Database errors fail the reply as {@link SqlFailures} classifies them: data the database
 * cannot store 400, a constraint violated 409, a database that cannot do it now (read-only, disk
 * full) 503; only a lost connection fails it with {@link TodoStoreException} (500) and restarts the
 * store, which reopens its connection.
 *
 * <p>Titles are checked when the message is built ({@link TodoValidation#title}), so a store
 * message never carries an invalid title.
 *
 * <p>Threading: immutable values (rule 1.5); build them on any thread.
 */
public sealed interface TodoCommand extends AskRequest
        permits TodoCommand.List, TodoCommand.Get, TodoCommand.Create, TodoCommand.Update, TodoCommand.Delete,
        TodoCommand.Ping {

    /**
     * One page of todos in id order: those whose id is greater than {@code after}, at most
     * {@code limit} of them (keyset pagination). Replies with the page and whether more may follow.
     *
     * @param after the last id of the previous page; 0 for the first page
     * @param limit the most todos to return, 1 to {@value TodoValidation#MAX_PAGE_LIMIT}
     * @param reply the ask's reply
     */
    record List(long after, int limit, Reply<TodoPage> reply) implements TodoCommand {
        /** Checks arguments. */
        public List {
            if (after < 0) {
                throw new IllegalArgumentException("after must be 0 or a todo id, was " + after);
            }
            if (limit < 1 || limit > TodoValidation.MAX_PAGE_LIMIT) {
                throw new IllegalArgumentException("limit must be from 1 to " + TodoValidation.MAX_PAGE_LIMIT + ", was " + limit);
            }
            Objects.requireNonNull(reply, "reply");
        }
    }

    /** One todo by id. */
    record Get(long id, Reply<Todo> reply) implements TodoCommand {
        /** Checks arguments. */
        public Get {
            Objects.requireNonNull(reply, "reply");
        }
    }

    /** A new, not completed todo; replies with it as stored, and publishes {@code CREATED}. */
    record Create(String title, Reply<Todo> reply) implements TodoCommand {
        /** Checks arguments; strips the title. */
        public Create {
            title = TodoValidation.title(title);
            Objects.requireNonNull(reply, "reply");
        }
    }

    /**
     * Changes the title and/or the completed flag of a todo. Replies with the todo after the
     * change (its version one more) and announces {@code UPDATED}; a change that changes nothing
     * replies with the todo as it is, writes nothing and announces nothing.
     *
     * <p>With an {@code expectedVersion}, the change applies only to that version of the todo: if
     * the todo has moved on (another request, perhaps on another node, changed it first), the reply
     * fails with {@link StaleUpdateException} carrying the current todo (409), and nothing is
     * written. Without one the change applies to whatever version is current, as one atomic
     * compare-and-set, so a concurrent change to the other field is never lost either.
     *
     * <p>The fields are nullable rather than {@code Optional}: a message carries only types known
     * to be immutable (rule 1.5), and {@code Optional}'s content is not; {@link #newTitle()} and
     * {@link #newCompleted()} give the optional view.
     *
     * @param id the todo
     * @param title the new title, or null to keep it
     * @param completed the new completed flag, or null to keep it
     * @param expectedVersion the version the client saw, or null to change whatever is current
     * @param reply the ask's reply
     */
    record Update(long id, String title, Boolean completed, Long expectedVersion, Reply<Todo> reply) implements TodoCommand {
        /** Checks arguments; strips the title. */
        public Update {
            title = title == null ? null : TodoValidation.title(title);
            if (expectedVersion != null && expectedVersion < 1) {
                throw new IllegalArgumentException("a todo's version is positive, expectedVersion was " + expectedVersion);
            }
            Objects.requireNonNull(reply, "reply");
        }

        /**
         * An update of whatever version is current.
         *
         * @param id the todo
         * @param title the new title, or null to keep it
         * @param completed the new completed flag, or null to keep it
         * @param reply the ask's reply
         */
        public Update(final long id, final String title, final Boolean completed, final Reply<Todo> reply) {
            this(id, title, completed, null, reply);
        }

        /** @return the new title, if it changes */
        public Optional<String> newTitle() {
            return Optional.ofNullable(title);
        }

        /** @return the new completed flag, if it changes */
        public Optional<Boolean> newCompleted() {
            return Optional.ofNullable(completed);
        }

        /** @return the version the change applies to, if the client named one */
        public Optional<Long> ifVersion() {
            return Optional.ofNullable(expectedVersion);
        }
    }

    /** Deletes a todo; replies with its last state and publishes {@code DELETED}. */
    record Delete(long id, Reply<Todo> reply) implements TodoCommand {
        /** Checks arguments. */
        public Delete {
            Objects.requireNonNull(reply, "reply");
        }
    }

    /**
     * Checks that the connection works (for {@code /health}). Replies with the store's health: the
     * database's product name and, while the store cannot write, why. A connection that no longer
     * works fails the store (it restarts and reopens it).
     */
    record Ping(Reply<StoreHealth> reply) implements TodoCommand {
        /** Checks arguments. */
        public Ping {
            Objects.requireNonNull(reply, "reply");
        }
    }
}
