package dev.flin.runtime.core.internal;

import dev.flin.runtime.AgentId;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.MessageTypeException;
import dev.flin.runtime.Reply;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The ref a message adapter hands out (rule 2.10): accepts {@code U}, checks it, and sends it into
 * the agent's mailbox wrapped with the adapter ({@link Adapted}), which the agent's thread applies.
 * Sends go through the cell's one send path, so the bound, the refusals and the counters are those
 * of any send to the agent (rules 2.2, 2.5, 2.9).
 *
 * <p>Threading: any thread; immutable.
 *
 * @param <U> what it accepts
 */
final class AdapterRef<U> implements AgentRef<U> {

    private final AgentCell<?> cell;
    private final Class<U> type;
    private final Function<Object, ?> adapter;

    AdapterRef(final AgentCell<?> cell, final Class<U> type, final Function<? super U, ?> adapter) {
        this.cell = cell;
        this.type = Objects.requireNonNull(type, "type");
        this.adapter = Adapted.erase(Objects.requireNonNull(adapter, "adapter"));
    }

    @Override
    public AgentId id() {
        return cell.id();
    }

    @Override
    public Class<U> messageType() {
        return type;
    }

    private Adapted wrap(final Object message) {
        Objects.requireNonNull(message, "message must not be null (rule 2.7)");
        if (!type.isInstance(message)) { // a raw-typed caller (rule 2.6)
            throw new MessageTypeException(cell.id(), type, message.getClass());
        }
        return new Adapted(message, adapter);
    }

    @Override
    public void tell(final U message) {
        cell.throwIfRefused(cell.offer(wrap(message), true));
    }

    @Override
    public boolean tryTell(final U message) {
        final Offer outcome = cell.offer(wrap(message), true);
        if (outcome == Offer.REFUSED_FULL) {
            return false;
        }
        cell.throwIfRefused(outcome);
        return true;
    }

    @Override
    public dev.flin.runtime.SendOutcome trySend(final U message) {
        return cell.outcomeOf(cell.offer(wrap(message), true));
    }

    @Override
    public <R> CompletionStage<R> ask(final Function<Reply<R>, ? extends U> request, final Duration timeout) {
        Objects.requireNonNull(request, "request");
        return cell.askWrapped(reply -> wrap(request.apply(reply)), timeout);
    }

    @Override
    public boolean equals(final Object other) {
        return other instanceof AdapterRef<?> that && that.cell == cell && that.type == type && that.adapter == adapter;
    }

    @Override
    public int hashCode() {
        return cell.hashCode() * 31 + type.hashCode();
    }

    @Override
    public String toString() {
        return "AdapterRef[" + cell.id() + " <- " + type.getSimpleName() + "]";
    }
}
