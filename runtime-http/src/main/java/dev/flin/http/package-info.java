/**
 * HTTP/1.1 and WebSocket for FLIN agents: {@link dev.flin.http.HttpServer} and its
 * {@link dev.flin.http.Router}, whose requests are each handled by an agent; background workers;
 * one agent per WebSocket connection. Rules 9.x of {@code docs/spec.md}; see {@code docs/http.md}.
 *
 * <p>Threading: each type states its own contract.
 *
 * <p>Nullness: non-null unless annotated {@link org.jspecify.annotations.Nullable @Nullable}
 * (JSpecify's {@code @NullMarked}).
 */
@NullMarked
package dev.flin.http;

import org.jspecify.annotations.NullMarked;
