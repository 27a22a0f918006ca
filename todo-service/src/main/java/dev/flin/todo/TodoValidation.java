package dev.flin.todo;

import dev.flin.http.HttpException;

/**
 * Checks what clients send, with a 400 that names the field and what was wrong with it.
 *
 * <p>Threading: stateless; any thread.
 */
public final class TodoValidation {

    /**
     * The longest title, in characters as Java, JavaScript ({@code maxlength}) and H2's
     * {@code VARCHAR} count them: UTF-16 code units, so a character outside the Basic Multilingual
     * Plane (an emoji) counts as two. PostgreSQL counts code points, so this limit is never looser
     * than the column's.
     */
    public static final int MAX_TITLE_LENGTH = 200;

    private TodoValidation() {
    }

    /**
     * @param title a title as the client sent it
     * @return the title without leading and trailing white space
     * @throws HttpException 400 naming {@code title} if it is missing, blank or longer than
     *     {@value #MAX_TITLE_LENGTH} characters
     */
    public static String title(final String title) {
        if (title == null) {
            throw HttpException.badRequest("title is required");
        }
        final String stripped = title.strip();
        if (stripped.isEmpty()) {
            throw HttpException.badRequest("title must not be blank");
        }
        if (stripped.length() > MAX_TITLE_LENGTH) {
            throw HttpException.badRequest("title must be at most " + MAX_TITLE_LENGTH + " characters, was "
                    + stripped.length());
        }
        return stripped;
    }

    /**
     * @param completed the {@code completed} field as the client sent it
     * @return it, if present
     * @throws HttpException 400 naming {@code completed} if it is missing
     */
    public static boolean completed(final Boolean completed) {
        if (completed == null) {
            throw HttpException.badRequest("completed is required");
        }
        return completed;
    }

    /**
     * @param id the {@code {id}} path segment
     * @return it as a todo id
     * @throws HttpException 400 naming {@code id} if it is not a positive integer
     */
    public static long id(final String id) {
        final long value;
        try {
            value = Long.parseLong(id);
        } catch (final NumberFormatException e) {
            throw HttpException.badRequest("id must be a positive integer, was '" + abbreviate(id) + "'");
        }
        if (value < 1) {
            throw HttpException.badRequest("id must be a positive integer, was " + value);
        }
        return value;
    }

    private static String abbreviate(final String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
