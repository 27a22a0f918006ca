package dev.flin.todo;

import dev.flin.runtime.Reply;
import java.util.Objects;
import java.util.Optional;

/**
 * The messages of the {@link TodoStore} agent. Each carries the {@link Reply} of its ask; the store
 * completes it after the transaction committed (or failed). A request for an id the store does
 * not have fails its reply with {@link dev.flin.http.HttpException#notFound} (404). A database
 * failure fails the reply with {@link TodoStoreException} (500) and restarts the store, which
 * reopens its connection.
 *
 * <p>Titles are checked when the message is built ({@link TodoValidation#title}), so a store
 * message never carries an invalid title.
 *
 * <p>Threading: immutable values (rule 1.5); build them on any thread.
 */
public sealed interface TodoCommand
        permits TodoCommand.List, TodoCommand.Get, TodoCommand.Create, TodoCommand.Update, TodoCommand.Delete,
        TodoCommand.Ping {

    /** Every todo, ordered by id. */
    record List(Reply<java.util.List<Todo>> reply) implements TodoCommand {
        /** Checks arguments. */
        public List {
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
     * Changes the title and/or the completed flag of a todo; an empty field is left as it is.
     * Replies with the todo after the change and publishes {@code UPDATED}; a change that changes
     * nothing replies with the todo as it is, writes nothing and publishes nothing.
     */
    record Update(long id, Optional<String> title, Optional<Boolean> completed, Reply<Todo> reply) implements TodoCommand {
        /** Checks arguments; strips the title. */
        public Update {
            Objects.requireNonNull(title, "title");
            Objects.requireNonNull(completed, "completed");
            title = title.map(TodoValidation::title);
            Objects.requireNonNull(reply, "reply");
        }
    }

    /** Deletes a todo; replies with its last state and publishes {@code DELETED}. */
    record Delete(long id, Reply<Todo> reply) implements TodoCommand {
        /** Checks arguments. */
        public Delete {
            Objects.requireNonNull(reply, "reply");
        }
    }

    /** Checks that the connection works (for {@code /health}); replies with the database's product name. */
    record Ping(Reply<String> reply) implements TodoCommand {
        /** Checks arguments. */
        public Ping {
            Objects.requireNonNull(reply, "reply");
        }
    }
}
