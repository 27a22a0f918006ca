package dev.flin.http;

import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The server's JSON codec, on Jackson 3. Records are written and read by their components.
 *
 * <p>Threading: immutable and thread-safe (Jackson's mapper is).
 */
public final class Json {

    private final JsonMapper mapper;

    private Json(final JsonMapper mapper) {
        this.mapper = mapper;
    }

    /** @return a codec that rejects unknown properties */
    public static Json create() {
        return new Json(JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build());
    }

    /** @return {@code value} as JSON text */
    public String write(final Object value) {
        return mapper.writeValueAsString(value);
    }

    /** @return {@code value} as UTF-8 JSON bytes */
    public byte[] writeBytes(final Object value) {
        return mapper.writeValueAsBytes(value);
    }

    /**
     * @return the body of {@code request} read as {@code type}
     * @throws HttpException 400, naming what was wrong, if the body is not valid JSON for {@code type}
     */
    public <T> T read(final HttpRequest request, final Class<T> type) {
        return read(request.body(), type);
    }

    /**
     * @return {@code json} read as {@code type}
     * @throws HttpException 400, naming what was wrong, if it is not valid JSON for {@code type}
     */
    public <T> T read(final byte[] json, final Class<T> type) {
        Objects.requireNonNull(type, "type");
        if (json == null || json.length == 0) {
            throw HttpException.badRequest("expected a JSON " + type.getSimpleName() + " body, the body is empty");
        }
        try {
            final T value = mapper.readValue(json, type);
            if (value == null) {
                throw HttpException.badRequest("expected a JSON " + type.getSimpleName() + ", got null");
            }
            return value;
        } catch (final JacksonException e) {
            throw HttpException.badRequest("malformed JSON for " + type.getSimpleName() + ": " + e.getOriginalMessage());
        } catch (final IllegalArgumentException | NullPointerException e) {
            throw HttpException.badRequest("invalid " + type.getSimpleName() + ": " + e.getMessage());
        }
    }

    /** @return the underlying mapper, for tree access ({@code readTree}) */
    public JsonMapper mapper() {
        return mapper;
    }
}
