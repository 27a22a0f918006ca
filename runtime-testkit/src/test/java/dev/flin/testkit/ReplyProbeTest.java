package dev.flin.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.runtime.AgentRef;
import dev.flin.runtime.Reply;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The reply probe stands in for an ask's reply handle. */
class ReplyProbeTest {

    /** A request: square the number, or fail on a negative one; reply twice when asked to. */
    record Square(int n, boolean twice, Reply<Integer> reply) {
    }

    private static AgentRef<Square> squarer(final FlinTestKit kit) {
        return kit.spawn(Square.class, () -> (request, context) -> {
            if (request.n() < 0) {
                request.reply().fail(new IllegalArgumentException("negative: " + request.n()));
                return;
            }
            request.reply().reply(request.n() * request.n());
            if (request.twice()) {
                request.reply().reply(-1);
            }
        });
    }

    @Test
    void aReplyIsExpectedAndALateOneCounted() {
        try (FlinTestKit kit = FlinTestKit.deterministic(3)) {
            final ReplyProbe<Integer> reply = kit.createReplyProbe();
            squarer(kit).tell(new Square(7, true, reply));
            assertEquals(49, reply.expectReply());
            kit.runUntilIdle();
            assertEquals(1, reply.lateCompletions());
            assertFalse(reply.reply(5), "a completed probe refuses");
        }
    }

    @Test
    void aFailureIsExpectedByType() {
        try (FlinTestKit kit = FlinTestKit.create()) {
            final ReplyProbe<Integer> reply = kit.createReplyProbe();
            squarer(kit).tell(new Square(-2, false, reply));
            final IllegalArgumentException cause = reply.expectFailure(IllegalArgumentException.class);
            assertTrue(cause.getMessage().contains("-2"));
            final AssertionError wrongType = assertThrows(AssertionError.class, () -> reply.expectFailure(IllegalStateException.class));
            assertSame(cause, wrongType.getCause());
            final AssertionError notAValue = assertThrows(AssertionError.class, reply::expectReply);
            assertSame(cause, notAValue.getCause());
        }
    }

    @Test
    void anUnansweredRequestIsNoReplyAndExpectReplyFails() {
        try (FlinTestKit kit = FlinTestKit.deterministic(3)) {
            final ReplyProbe<Integer> reply = kit.createReplyProbe();
            kit.spawn(Square.class, () -> (request, context) -> { }).tell(new Square(1, false, reply));
            reply.expectNoReply(Duration.ofSeconds(1));
            final AssertionError error = assertThrows(AssertionError.class, () -> reply.expectReply(Duration.ofSeconds(1)));
            assertTrue(error.getMessage().contains("not answered"), error.getMessage());
            reply.reply(null);
            assertNull(reply.expectReply());
            assertThrows(AssertionError.class, () -> reply.expectNoReply(Duration.ZERO));
        }
    }

    @Test
    void askAndAwaitReturnsTheAnswerOrFailsWithTheCause() {
        try (FlinTestKit kit = FlinTestKit.deterministic(5)) {
            final AgentRef<Square> squarer = squarer(kit);
            assertEquals(16, kit.<Square, Integer>askAndAwait(squarer, r -> new Square(4, false, r)));
            final AssertionError error = assertThrows(AssertionError.class,
                    () -> kit.<Square, Integer>askAndAwait(squarer, r -> new Square(-1, false, r)));
            assertTrue(error.getCause() instanceof IllegalArgumentException, String.valueOf(error.getCause()));
        }
    }
}
