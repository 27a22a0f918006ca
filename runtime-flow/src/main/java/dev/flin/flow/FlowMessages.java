package dev.flin.flow;

import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * How a stream's signals become one agent's messages, for {@link AgentSubscriber}: each element,
 * the completion, and the error.
 *
 * <pre>{@code
 * sealed interface Lines permits Line, End, Failed {}
 * record Line(String text) implements Lines {}
 * record End() implements Lines {}
 * record Failed(Throwable error) implements Lines {}
 *
 * FlowMessages<String, Lines> messages = FlowMessages.of(Line::new, End::new, Failed::new);
 * }</pre>
 *
 * <p>The functions run on the bridging agent's thread (never the publisher's), one call at a
 * time; they build a message and nothing more, and must not return null (rule 2.7). When
 * {@code onNext} throws or returns null, the upstream subscription is cancelled and the agent gets
 * {@code onError} of that exception instead of the element. When {@code onComplete} or
 * {@code onError} throws or returns null, that is the bridging agent's failure (rule 4.5): the
 * agent gets no terminal message.
 *
 * <p>Threading: an immutable value, if the functions are.
 *
 * @param onNext     turns an element into a message
 * @param onComplete makes the message that says the stream completed
 * @param onError    turns the stream's error into a message; also given the
 *                   {@link dev.flin.runtime.MailboxFullException} when the agent's mailbox refused
 *                   an element, and whatever {@code onNext} threw
 * @param <T>        the element type
 * @param <M>        the agent's message type
 */
public record FlowMessages<T, M>(Function<? super T, ? extends M> onNext,
                                 Supplier<? extends M> onComplete,
                                 Function<? super Throwable, ? extends M> onError) {

    /**
     * Checks arguments.
     *
     * @param onNext     turns an element into a message
     * @param onComplete makes the message that says the stream completed
     * @param onError    turns the stream's error into a message; also given the {@link
     *     dev.flin.runtime.MailboxFullException} when the agent's mailbox refused an element, and whatever
     *     {@code onNext} threw
     */
    public FlowMessages {
        Objects.requireNonNull(onNext, "onNext");
        Objects.requireNonNull(onComplete, "onComplete");
        Objects.requireNonNull(onError, "onError");
    }

    /**
     * @param onNext     turns an element into a message
     * @param onComplete makes the completion message
     * @param onError    turns an error into a message
     * @param <T>        the element type
     * @param <M>        the agent's message type
     * @return the mapping
     */
    public static <T, M> FlowMessages<T, M> of(final Function<? super T, ? extends M> onNext,
                                               final Supplier<? extends M> onComplete,
                                               final Function<? super Throwable, ? extends M> onError) {
        return new FlowMessages<>(onNext, onComplete, onError);
    }
}
