package dev.flin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A handler cannot answer with an interim (1xx) status: the client would take the next answer for this request's. */
class InterimStatusTest extends ServerTestSupport {

    @Test
    void aHandlerAnsweringAnInterimStatusIsA500AndThePipelineStaysInStep() throws Exception {
        final HttpServer server = start(Router.builder()
                .get("/interim", (request, context) -> CompletableFuture.completedFuture(HttpResponse.text(102, "processing")))
                .get("/next", text("next")).build());
        try (RawConnection raw = new RawConnection(server.port())) {
            raw.send("GET /interim HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /next HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assertEquals(500, raw.read().status(), "rule 9.1: one final answer per request");
            final RawConnection.Response next = raw.read();
            assertEquals(200, next.status());
            assertEquals("next", next.body());
        }
    }
}
