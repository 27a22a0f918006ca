package dev.flin.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ReadmeExampleTest {
    @Test
    void readmeExampleRunsAndReplies() {
        assertEquals("hello Ada (#1)", ReadmeExample.run());
    }
}
