package dev.flin.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Rule 6.1: typed, named topics. */
class TopicTest {

    @Test
    void spec_6_1_topicNeedsANonBlankNameAndAType() {
        assertThrows(NullPointerException.class, () -> Topic.of(null, String.class));
        assertThrows(NullPointerException.class, () -> Topic.of("t", null));
        assertThrows(IllegalArgumentException.class, () -> Topic.of("", String.class));
        assertThrows(IllegalArgumentException.class, () -> Topic.of("   ", String.class));
    }

    @Test
    void spec_6_1_topicsAreEqualWhenNameAndTypeAreEqual() {
        assertEquals(Topic.of("t", String.class), Topic.of("t", String.class));
        assertEquals(Topic.of("t", String.class).hashCode(), Topic.of("t", String.class).hashCode());
        assertNotEquals(Topic.of("t", String.class), Topic.of("t", Integer.class));
        assertNotEquals(Topic.of("t", String.class), Topic.of("u", String.class));
        assertEquals(new Topic<>("t", String.class), Topic.of("t", String.class));
    }

    @Test
    void spec_6_7_systemTopicsAreTypedAndDistinct() {
        assertEquals(LifecycleEvent.class, SystemTopics.LIFECYCLE.eventType());
        assertEquals(AgentFailure.class, SystemTopics.FAILURES.eventType());
        assertEquals(DeadLetter.class, SystemTopics.DEAD_LETTERS.eventType());
        assertNotEquals(SystemTopics.LIFECYCLE.name(), SystemTopics.FAILURES.name());
        assertNotEquals(SystemTopics.FAILURES.name(), SystemTopics.DEAD_LETTERS.name());
        assertNotEquals(SystemTopics.LIFECYCLE.name(), SystemTopics.DEAD_LETTERS.name());
    }
}
