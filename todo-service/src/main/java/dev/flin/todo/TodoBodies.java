package dev.flin.todo;

import dev.flin.http.HttpException;
import dev.flin.http.HttpRequest;
import dev.flin.http.Json;
import java.util.Optional;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Reads the JSON bodies of the todo routes strictly: sent as {@code application/json} (415
 * otherwise, so that a cross-site form post, which can only send {@code text/plain},
 * {@code application/x-www-form-urlencoded} or {@code multipart/form-data}, never creates a todo),
 * an object with only the fields the route knows, each of its JSON type (no coercion: {@code 5} is
 * not a title, {@code "true"} is not a boolean), {@code null} never standing in for a value. Every
 * other refusal is a 400 naming the field.
 *
 * <p>Threading: stateless; any thread.
 */
final class TodoBodies {

    private TodoBodies() {
    }

    /** The body of {@code POST /api/todos}. */
    record NewTodo(String title) {
    }

    /** The body of {@code PUT /api/todos/{id}}; {@code version} null when the client named none. */
    record Replacement(String title, boolean completed, Long version) {
    }

    /**
     * The body of {@code PATCH /api/todos/{id}}: title or completed non-null; null leaves that
     * field as it is; {@code version} null when the client named none.
     */
    record Patch(String title, Boolean completed, Long version) {
    }

    /** {@code {"title"}}, the title checked by {@link TodoValidation#title}. */
    static NewTodo newTodo(final Json json, final HttpRequest request) {
        final JsonNode body = object(json, request, "a new todo", Set.of("title"));
        return new NewTodo(TodoValidation.title(string(body, "title").orElse(null)));
    }

    /** {@code {"title", "completed", "version"?}}, title and completed required. */
    static Replacement replacement(final Json json, final HttpRequest request) {
        final JsonNode body = object(json, request, "a replacement", Set.of("title", "completed", "version"));
        return new Replacement(TodoValidation.title(string(body, "title").orElse(null)),
                TodoValidation.completed(bool(body, "completed").orElse(null)), version(body).orElse(null));
    }

    /** {@code {"title"?, "completed"?, "version"?}}, title and/or completed. */
    static Patch patch(final Json json, final HttpRequest request) {
        final JsonNode body = object(json, request, "a patch", Set.of("title", "completed", "version"));
        final Optional<String> title = string(body, "title").map(TodoValidation::title);
        final Optional<Boolean> completed = bool(body, "completed");
        if (title.isEmpty() && completed.isEmpty()) {
            throw HttpException.badRequest("a patch needs title and/or completed, it had neither");
        }
        return new Patch(title.orElse(null), completed.orElse(null), version(body).orElse(null));
    }

    /**
     * The optional {@code version}: the version of the todo the client saw, a whole number from 1
     * to {@link Long#MAX_VALUE} written as a JSON integer (not {@code 1.0}, not a string).
     */
    private static Optional<Long> version(final JsonNode body) {
        final JsonNode value = body.get("version");
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 1) {
            throw HttpException.badRequest("version must be a whole number from 1 to " + Long.MAX_VALUE
                    + " (the version of the todo you saw), was " + describe(value));
        }
        return Optional.of(value.longValue());
    }

    private static JsonNode object(final Json json, final HttpRequest request, final String what, final Set<String> fields) {
        requireJson(request, what);
        if (request.bodyLength() == 0) {
            throw HttpException.badRequest(what + " needs a JSON body with " + sorted(fields) + ", the body is empty");
        }
        final JsonNode body;
        try {
            body = json.mapper().readTree(request.body());
        } catch (final JacksonException e) {
            throw HttpException.badRequest("malformed JSON in " + what + ": " + e.getOriginalMessage());
        }
        if (!body.isObject()) {
            throw HttpException.badRequest(what + " is a JSON object with " + sorted(fields) + ", was " + body.getNodeType());
        }
        for (final String name : body.propertyNames()) {
            if (!fields.contains(name)) {
                throw HttpException.badRequest("unknown field '" + name + "': " + what + " has " + sorted(fields));
            }
        }
        return body;
    }

    /**
     * @throws HttpException 415 naming the expected media type and the one sent, unless the
     *     request's {@code Content-Type} is {@code application/json} (any case, parameters such as
     *     {@code charset=utf-8} allowed)
     */
    static void requireJson(final HttpRequest request, final String what) {
        final Optional<String> contentType = request.header("content-type");
        final String mediaType = contentType.map(type -> {
            final int semicolon = type.indexOf(';');
            return (semicolon < 0 ? type : type.substring(0, semicolon)).strip().toLowerCase(java.util.Locale.ROOT);
        }).orElse("");
        if (!mediaType.equals("application/json")) {
            throw new HttpException(415, what + " must be sent with Content-Type: application/json, was "
                    + contentType.map(type -> "'" + describe(type) + "'").orElse("none"));
        }
    }

    private static String describe(final String text) {
        return text.length() <= 60 ? text : text.substring(0, 60) + "...";
    }

    private static Optional<String> string(final JsonNode body, final String field) {
        final JsonNode value = body.get(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isString()) {
            throw HttpException.badRequest(field + " must be a string, was " + describe(value));
        }
        return Optional.of(value.stringValue());
    }

    private static Optional<Boolean> bool(final JsonNode body, final String field) {
        final JsonNode value = body.get(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isBoolean()) {
            throw HttpException.badRequest(field + " must be true or false, was " + describe(value));
        }
        return Optional.of(value.booleanValue());
    }

    private static String describe(final JsonNode value) {
        final String text = value.toString();
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }

    private static String sorted(final Set<String> fields) {
        return new java.util.TreeSet<>(fields).toString();
    }
}
