package dev.flin.todo;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of todos, in id order, as {@link TodoCommand.List} reads it.
 *
 * <p>Threading: an immutable value (rule 1.5): the list is copied in.
 *
 * @param todos the todos of the page, ids ascending
 * @param more whether todos with greater ids existed when the page was read
 */
public record TodoPage(List<Todo> todos, boolean more) {

    /** Checks arguments; copies the list. */
    public TodoPage {
        todos = List.copyOf(Objects.requireNonNull(todos, "todos"));
        if (more && todos.isEmpty()) {
            throw new IllegalArgumentException("a page that says more follow has a last todo to follow from");
        }
    }

    /** @return the {@code after} of the next page (the last id of this one), if more may follow */
    public Optional<Long> nextAfter() {
        return more ? Optional.of(todos.get(todos.size() - 1).id()) : Optional.empty();
    }
}
