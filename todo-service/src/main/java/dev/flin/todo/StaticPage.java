package dev.flin.todo;

import dev.flin.http.HttpHandler;
import dev.flin.http.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * One file of the web page, read once from the class path ({@code /static/...}) and served as it
 * is: no templates, no build step. Every file carries the page's security headers: its
 * {@code Content-Security-Policy}, {@code X-Frame-Options: DENY} and {@code Referrer-Policy:
 * no-referrer} ({@code X-Content-Type-Options: nosniff} the server adds to every response). The page is written to
 * need nothing a strict policy forbids: no inline scripts or styles, no event-handler attributes.
 *
 * <p>Threading: immutable once built; {@link #handler()} may serve from any number of handler
 * agents at once.
 */
final class StaticPage {

    private final String resource;
    private final HttpResponse response;

    private StaticPage(final String resource, final HttpResponse response) {
        this.resource = resource;
        this.response = response;
    }

    /**
     * @param resource the class-path resource, e.g. {@code /static/index.html}
     * @param contentType the {@code Content-Type} to serve it with
     * @param contentSecurityPolicy the page's {@code Content-Security-Policy}
     * @throws IllegalStateException naming the resource if it is not on the class path
     */
    static StaticPage load(final String resource, final String contentType, final String contentSecurityPolicy) {
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(contentSecurityPolicy, "contentSecurityPolicy");
        try (InputStream in = StaticPage.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the page resource " + resource + " is not on the class path");
            }
            final HttpResponse response = HttpResponse.of(200, contentType, in.readAllBytes())
                    .withHeader("cache-control", "no-cache")
                    .withHeader("content-security-policy", contentSecurityPolicy)
                    .withHeader("x-frame-options", "DENY")
                    .withHeader("referrer-policy", "no-referrer");
            return new StaticPage(resource, response);
        } catch (final IOException e) {
            throw new UncheckedIOException("reading the page resource " + resource, e);
        }
    }

    /** @return a handler answering the file (the response is immutable and shared) */
    HttpHandler handler() {
        return (request, context) -> CompletableFuture.completedStage(response);
    }

    @Override
    public String toString() {
        return "StaticPage[" + resource + ", " + response.bodyLength() + " B]";
    }
}
