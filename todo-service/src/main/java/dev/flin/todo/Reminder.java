package dev.flin.todo;

import java.time.Instant;
import java.util.Objects;

/**
 * A background job: remind someone of a todo (the seed's "send an email in the background").
 * Handed to the {@code "reminders"} {@link dev.flin.http.BackgroundWorker} by
 * {@code POST /api/todos/{id}/remind}, which answers 202 without waiting for it (rule 9.4).
 *
 * <p>Threading: an immutable value (rule 1.5).
 *
 * @param todoId the todo's id
 * @param title the todo's title when the reminder was asked for
 * @param requestedAt when it was asked for
 */
public record Reminder(long todoId, String title, Instant requestedAt) {

    /** Checks arguments. */
    public Reminder {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(requestedAt, "requestedAt");
    }
}
