package dev.flin.todo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.flin.http.HttpServerConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;

/**
 * Issue 11, cross-origin attacks from a real browser: a page on another origin
 * ({@code http://localhost:OTHER}, while the service is {@code http://127.0.0.1:PORT}) that the
 * victim opens in headless Chromium tries
 * <ol>
 * <li>the classic JSON-through-{@code text/plain} form CSRF, twice: the field name
 *     {@code {"title":"pwned","x":"} with the value {@code "}}, and {@code {"title":"pwned-form}
 *     with {@code "}} (which gives {@code {"title":"pwned-form="}}, a body with no unknown field);
 * <li>{@code fetch} with {@code mode: 'no-cors'} and {@code Content-Type: text/plain} posting
 *     {@code {"title":"pwned2"}};
 * <li>a WebSocket to {@code /ws} subscribed to {@code todo}, recording whether it opened and any
 *     {@code CREATED} event it hears.
 * </ol>
 * Then the test creates a todo through the API itself, so that an event is published. Owed: no
 * todo whose title starts with {@code pwned} exists, and the attacker's socket saw no event (it
 * must not open, or be closed before any event). Skipped without {@code /usr/bin/chromium} and
 * {@code /usr/bin/chromedriver}.
 */
class CrossOriginBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    @TempDir
    Path profile;

    private TodoService service;
    private HttpServer attacker;
    private WebDriver driver;

    @BeforeAll
    static void browserInstalled() {
        HeadlessChromium.assumeInstalled();
    }

    @AfterEach
    void stop() {
        try {
            if (driver != null) {
                driver.quit();
            }
        } finally {
            try {
                if (attacker != null) {
                    attacker.stop(0);
                }
            } finally {
                if (service != null) {
                    service.close();
                }
            }
        }
    }

    /** The attacker's page; it records what happened in data-* attributes of #report. */
    private static String attackPage(final int port) {
        final String target = "http://127.0.0.1:" + port;
        return """
                <!doctype html>
                <html><head><meta charset="utf-8"><title>free prizes</title></head><body>
                <div id="report" data-form1="pending" data-form2="pending" data-fetch="pending" data-ws="pending"
                     data-ws-events="" data-ws-created="no"></div>
                <iframe name="sink1" id="sink1"></iframe><iframe name="sink2" id="sink2"></iframe>
                <form id="form1" method="POST" enctype="text/plain" action="TARGET/api/todos" target="sink1">
                  <input type="hidden" name='{"title":"pwned","x":"' value='"}'></form>
                <form id="form2" method="POST" enctype="text/plain" action="TARGET/api/todos" target="sink2">
                  <input type="hidden" name='{"title":"pwned-form' value='"}'></form>
                <script>
                const report = document.getElementById('report');
                const mark = (what, value) => { report.setAttribute('data-' + what, String(value)); };
                for (const n of ['1', '2']) {
                  document.getElementById('sink' + n).addEventListener('load', () => mark('form' + n, 'loaded'));
                  document.getElementById('form' + n).submit();
                }
                fetch('TARGET/api/todos', {method: 'POST', mode: 'no-cors',
                    headers: {'Content-Type': 'text/plain'}, body: '{"title":"pwned2"}'})
                  .then(r => mark('fetch', 'sent (' + r.type + ')'), e => mark('fetch', 'failed: ' + e));
                try {
                  const ws = new WebSocket('ws://127.0.0.1:PORT/ws');
                  ws.onopen = () => { mark('ws', 'open'); ws.send(JSON.stringify({op: 'subscribe', topic: 'todo'})); };
                  ws.onmessage = (e) => {
                    let m = {};
                    try { m = JSON.parse(e.data); } catch (ignored) { }
                    if (m.type === 'subscribed') { mark('ws', 'subscribed'); }
                    if (String(e.data).includes('CREATED')) { mark('ws-created', 'yes'); }
                    mark('ws-events', report.getAttribute('data-ws-events') + ' ' + String(e.data).slice(0, 120));
                  };
                  ws.onerror = () => { if (report.getAttribute('data-ws') === 'pending') { mark('ws', 'error'); } };
                  ws.onclose = (e) => mark('ws', 'closed ' + e.code + ' after ' + report.getAttribute('data-ws'));
                } catch (e) {
                  mark('ws', 'refused: ' + e);
                }
                </script></body></html>
                """.replace("TARGET", target).replace("PORT", String.valueOf(port));
    }

    @Test
    void aPageOnAnotherOriginCanNeitherCreateTodosNorListenToTheirEvents() throws Exception {
        service = TodoService.start(HttpServerConfig.builder().port(0).build(),
                TodoOptions.defaults().withDataDir(dataDir).withReminderWorkRounds(0));
        final int port = service.port();
        final byte[] page = attackPage(port).getBytes(StandardCharsets.UTF_8);
        attacker = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        attacker.createContext("/", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(page);
            }
        });
        attacker.start();
        final String attackUrl = "http://localhost:" + attacker.getAddress().getPort() + "/prizes";

        driver = openBrowser();
        driver.get(attackUrl);
        final WebDriverWait wait = new WebDriverWait(driver, WAIT);
        // Every attack has run its course: both forms' answers loaded, the fetch settled, the socket refused or open.
        wait.until(d -> !report(d, "form1").equals("pending") && !report(d, "form2").equals("pending")
                && !report(d, "fetch").equals("pending") && !report(d, "ws").equals("pending"));
        if (report(driver, "ws").equals("open")) {
            untilOrNot(wait, d -> !report(d, "ws").equals("open"));   // its subscription answered, or it closed
        }

        // A legitimate create (the test is no browser: no Origin), so that a subscriber would hear CREATED.
        final TodoClient client = new TodoClient(port);
        client.create("legitimate");
        if (!report(driver, "ws").startsWith("closed") && !report(driver, "ws").equals("error")) {
            // The attacker's socket is open: it hears the event unless the server closes it first.
            untilOrNot(wait, d -> report(d, "ws-created").equals("yes") || report(d, "ws").startsWith("closed"));
        }

        final HttpClient http = ServiceProcess.newHttpClient();
        final List<String> pwned = new ArrayList<>();
        for (final JsonNode todo : ServiceProcess.listTodos(http, URI.create("http://127.0.0.1:" + port + "/"), WAIT)) {
            if (todo.get("title").asString().startsWith("pwned")) {
                pwned.add(todo.get("title").asString());
            }
        }
        final String sawEvent = report(driver, "ws-created");
        System.out.println("cross-origin from " + attackUrl + ": todos created by the attacker " + pwned + "; form1 "
                + report(driver, "form1") + ", form2 " + report(driver, "form2") + ", fetch " + report(driver, "fetch")
                + "; WebSocket " + report(driver, "ws") + ", saw CREATED " + sawEvent + ", messages ["
                + report(driver, "ws-events").trim() + "]");

        final List<String> failures = new ArrayList<>();
        if (!pwned.isEmpty()) {
            failures.add("a page on another origin created todos " + pwned);
        }
        if (sawEvent.equals("yes")) {
            failures.add("a page on another origin opened /ws and heard a CREATED event: " + report(driver, "ws-events").trim());
        }
        assertTrue(failures.isEmpty(), String.join("; ", failures));
    }

    /** Waits for the condition; if the deadline passes first, goes on (the test then judges what it sees). */
    private static void untilOrNot(final WebDriverWait wait, final java.util.function.Function<WebDriver, Boolean> condition) {
        try {
            wait.until(condition);
        } catch (final org.openqa.selenium.TimeoutException deadline) {
            // judged below from the page's report
        }
    }

    private static String report(final WebDriver driver, final String what) {
        final String value = driver.findElement(By.id("report")).getDomAttribute("data-" + what);
        return value == null ? "" : value;
    }

    private WebDriver openBrowser() throws IOException {
        return HeadlessChromium.open(profile.resolve("victim"));
    }
}
