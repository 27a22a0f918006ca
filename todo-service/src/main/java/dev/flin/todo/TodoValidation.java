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

    /** The todos of a page of {@code GET /api/todos} when the request does not say. */
    public static final int DEFAULT_PAGE_LIMIT = 100;

    /** The most todos a page of {@code GET /api/todos} may ask for. */
    public static final int MAX_PAGE_LIMIT = 1000;

    private TodoValidation() {
    }

    /**
     * @param title a title as the client sent it
     * @return the title without leading and trailing white space
     * @throws HttpException 400 naming {@code title} if it is missing, blank or longer than
     *     {@value #MAX_TITLE_LENGTH} characters, or if it has a character the databases cannot
     *     store exactly: NUL (U+0000, which PostgreSQL refuses) or a surrogate that is not half of a
     *     pair (which PostgreSQL's driver turns into '?'); the message names the index (in UTF-16
     *     units, from 0) in the title as sent
     */
    public static String title(final String title) {
        if (title == null) {
            throw HttpException.badRequest("title is required");
        }
        for (int i = 0; i < title.length(); i++) {
            final char c = title.charAt(i);
            if (c == '\u0000') {
                throw HttpException.badRequest("title must not contain NUL (U+0000), found at index " + i);
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < title.length() && Character.isLowSurrogate(title.charAt(i + 1))) {
                    i++;   // a valid pair: one character outside the Basic Multilingual Plane
                    continue;
                }
                throw HttpException.badRequest("title must not contain an unpaired surrogate: high surrogate "
                        + hex(c) + " at index " + i + " is not followed by a low surrogate");
            }
            if (Character.isLowSurrogate(c)) {
                throw HttpException.badRequest("title must not contain an unpaired surrogate: low surrogate "
                        + hex(c) + " at index " + i + " does not follow a high surrogate");
            }
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

    /**
     * @param limit the {@code limit} query parameter, if given
     * @return it as a page size, or {@value #DEFAULT_PAGE_LIMIT} if absent
     * @throws HttpException 400 naming {@code limit} if it is not an integer from 1 to {@value #MAX_PAGE_LIMIT}
     */
    public static int limit(final java.util.Optional<String> limit) {
        if (limit.isEmpty()) {
            return DEFAULT_PAGE_LIMIT;
        }
        final String text = limit.get();
        final String wrong = "limit must be an integer from 1 to " + MAX_PAGE_LIMIT + ", was '" + abbreviate(text) + "'";
        if (!text.matches("[0-9]{1,9}")) {
            throw HttpException.badRequest(wrong);
        }
        final int value = Integer.parseInt(text);
        if (value < 1 || value > MAX_PAGE_LIMIT) {
            throw HttpException.badRequest(wrong);
        }
        return value;
    }

    /**
     * @param cursor the {@code cursor} query parameter, if given: what the previous page's
     *     {@code Link: rel="next"} carried (opaque to clients; the last id of that page)
     * @return the id after which the page starts; 0 for the first page (no cursor)
     * @throws HttpException 400 naming {@code cursor} if it is not one this service hands out
     */
    public static long cursor(final java.util.Optional<String> cursor) {
        if (cursor.isEmpty()) {
            return 0;
        }
        final String text = cursor.get();
        if (text.matches("[1-9][0-9]{0,17}")) {
            return Long.parseLong(text);
        }
        throw HttpException.badRequest("cursor is malformed: '" + abbreviate(text)
                + "' is not a cursor from a Link: rel=\"next\" of this service");
    }

    /** @return the cursor of the page after the todo with id {@code lastId} (see {@link #cursor}) */
    public static String cursorAfter(final long lastId) {
        if (lastId < 1) {
            throw new IllegalArgumentException("a cursor follows a todo id, which is positive, was " + lastId);
        }
        return Long.toString(lastId);
    }

    private static String hex(final char c) {
        return String.format(java.util.Locale.ROOT, "U+%04X", (int) c);
    }

    private static String abbreviate(final String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
