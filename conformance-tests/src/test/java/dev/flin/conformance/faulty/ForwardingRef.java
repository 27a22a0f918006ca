package dev.flin.conformance.faulty;

import dev.flin.runtime.AgentId;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.FlinException;
import dev.flin.runtime.Reply;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * A ref of a {@link ForwardingRuntime}: {@code tell} and {@code ask} go through the runtime's
 * hooks, the id through {@link ForwardingRuntime#exportId}. Two refs are equal when they wrap the
 * same real ref.
 *
 * <p>Threading: any thread, like the ref it wraps.
 *
 * @param <M> the message type
 */
public final class ForwardingRef<M> implements AgentRef<M> {

    private final ForwardingRuntime runtime;
    private final AgentRef<M> real;

    ForwardingRef(final ForwardingRuntime runtime, final AgentRef<M> real) {
        this.runtime = runtime;
        this.real = Objects.requireNonNull(real, "real");
    }

    /** @return the real runtime's ref */
    public AgentRef<M> real() {
        return real;
    }

    @Override
    public AgentId id() {
        return runtime.exportId(real.id());
    }

    @Override
    public Class<M> messageType() {
        return real.messageType();
    }

    @Override
    public void tell(final M message) {
        try {
            runtime.tell(real, message);
        } catch (FlinException e) {
            throw runtime.translate(e);
        }
    }

    @Override
    public <R> CompletionStage<R> ask(final Function<Reply<R>, ? extends M> request, final Duration timeout) {
        try {
            return runtime.translateStage(runtime.ask(real, request, timeout));
        } catch (FlinException e) {
            throw runtime.translate(e);
        }
    }

    @Override
    public boolean equals(final Object other) {
        return other instanceof ForwardingRef<?> that && that.real.equals(real);
    }

    @Override
    public int hashCode() {
        return real.hashCode();
    }

    @Override
    public String toString() {
        return "AgentRef[" + id() + ", " + real.messageType().getSimpleName() + "]";
    }
}
