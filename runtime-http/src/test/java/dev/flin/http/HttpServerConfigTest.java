package dev.flin.http;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link HttpServerConfig}: validation. Reading it from flags: {@code dev.flin.http.core.HttpSettingsTest}. */
class HttpServerConfigTest {

    @Test
    void shouldRejectInvalidBuilderSettingsNamingThem() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HttpServerConfig.builder().maxPipelinedRequests(0).build());
        assertTrue(e.getMessage().contains("maxPipelinedRequests"), e.getMessage());
        final NullPointerException npe = assertThrows(NullPointerException.class,
                () -> HttpServerConfig.builder().askTimeout(null).build());
        assertTrue(npe.getMessage().contains("askTimeout"), npe.getMessage());
        assertThrows(NullPointerException.class, () -> HttpServerConfig.builder().host(null).build());
    }
}
