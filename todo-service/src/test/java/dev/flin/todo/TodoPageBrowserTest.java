package dev.flin.todo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.flin.http.HttpServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page in two real headless Chromium windows on one service: what one window does appears live
 * in the other (through the "todo" topic over the WebSocket), and the window that made a change
 * shows it once even though it hears of it twice (the REST answer and the event).
 */
class TodoPageBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    @TempDir
    Path profiles;

    private TodoService service;
    private final List<WebDriver> drivers = new ArrayList<>();

    @BeforeAll
    static void browserInstalled() {
        HeadlessChromium.assumeInstalled();
    }

    @BeforeEach
    void start() {
        service = TodoService.start(HttpServerConfig.builder().port(0).build(),
                TodoOptions.defaults().withDataDir(dataDir).withReminderWorkRounds(0));
    }

    @AfterEach
    void stop() {
        try {
            for (final WebDriver driver : drivers) {
                driver.quit();
            }
        } finally {
            service.close();
        }
    }

    private WebDriver openPage(final String name) throws Exception {
        final WebDriver driver = HeadlessChromium.open(profiles.resolve(name));
        drivers.add(driver);
        driver.get("http://127.0.0.1:" + service.port() + "/");
        // Live: subscribed to "todo" and caught up with the list (the page reloads it after the acknowledgement).
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.attributeToBe(By.id("ws-status"), "data-state", "live"));
        return driver;
    }

    private static By todoTitled(final String title) {
        return By.xpath("//ul[@id='todos']/li[@data-id][span[@class='title' and text()='" + title + "']]");
    }

    @Test
    void aTodoAddedInOneWindowAppearsInTheOtherAndCompletingItThereShowsInTheFirst() throws Exception {
        final WebDriver first = openPage("first");
        final WebDriver second = openPage("second");

        first.findElement(By.id("new-title")).sendKeys("buy bread");
        first.findElement(By.id("add")).click();

        final WebElement inSecond = new WebDriverWait(second, WAIT)
                .until(ExpectedConditions.presenceOfElementLocated(todoTitled("buy bread")));
        assertEquals("false", inSecond.getDomAttribute("data-completed"));

        inSecond.findElement(By.className("toggle")).click();
        new WebDriverWait(first, WAIT).until(ExpectedConditions.attributeToBe(todoTitled("buy bread"), "data-completed", "true"));
        new WebDriverWait(second, WAIT).until(ExpectedConditions.attributeToBe(todoTitled("buy bread"), "data-completed", "true"));

        // The first window got the POST answer (the input is cleared after it) and, before the UPDATED it
        // just showed, the CREATED event: it heard of the new todo twice and shows it once.
        new WebDriverWait(first, WAIT).until(d -> d.findElement(By.id("new-title")).getDomProperty("value").isEmpty());
        assertEquals(1, first.findElements(todoTitled("buy bread")).size());
        assertEquals(1, second.findElements(todoTitled("buy bread")).size());

        // Deleting in the first window removes it from the second.
        first.findElement(todoTitled("buy bread")).findElement(By.className("delete")).click();
        new WebDriverWait(second, WAIT).until(ExpectedConditions.numberOfElementsToBe(todoTitled("buy bread"), 0));
        new WebDriverWait(first, WAIT).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#todos li[data-id]"), 0));
    }

    /** The list arrives in pages of at most 1000 todos; the page follows the next links and shows them all. */
    @Test
    void thePageShowsEveryTodoWhenTheListTakesMoreThanOnePage() throws Exception {
        final int count = TodoValidation.MAX_PAGE_LIMIT + 7;
        for (int i = 0; i < count; i++) {
            final String title = "todo " + i;
            service.store().<Todo>ask(reply -> new TodoCommand.Create(title, reply), WAIT).toCompletableFuture()
                    .get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        }
        final WebDriver page = openPage("many");
        new WebDriverWait(page, WAIT).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#todos li[data-id]"), count));
        assertEquals(1, page.findElements(todoTitled("todo " + (count - 1))).size(), "the last todo, from the second page");
    }
}
