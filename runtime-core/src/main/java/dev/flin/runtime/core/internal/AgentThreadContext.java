package dev.flin.runtime.core.internal;

import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentId;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.TerminationCause;
import dev.flin.runtime.Timers;
import dev.flin.runtime.Topic;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The context of one agent: what its callbacks receive, and the only way to its agent-thread
 * operations. A separate object from the agent's {@link AgentCell}, which is the agent's ref, so
 * that no ref can be cast to a context (rule 1.4). One per cell, made when the agent first starts
 * and kept across restarts.
 *
 * <p>Threading: agent-thread only, checked. Every method but {@link #self()} first checks that the
 * calling thread is the one running a callback of this agent right now ({@link AgentCell#runningOn},
 * set for the length of a run) and otherwise throws {@link dev.flin.runtime.ContextOutsideAgentException} before
 * doing anything (rule 1.4). That holds for the deterministic dispatcher too, whose runs happen on
 * the thread driving it. {@link #self()} returns the cell (a final field) and is safe from any
 * thread, so a {@code pipeToSelf} mapper or an escaped context can still reach the mailbox.
 *
 * @param <M> the agent's message type
 */
final class AgentThreadContext<M> implements AgentContext<M> {

    private final AgentCell<M> cell;

    AgentThreadContext(final AgentCell<M> cell) {
        this.cell = cell;
    }

    /**
     * Any thread: throws unless the calling thread is running one of this agent's callbacks.
     *
     * @param operation the context method, for the error
     */
    private void check(final String operation) {
        cell.checkAgentThread(operation);
    }

    @Override
    public AgentRef<M> self() {
        return cell;
    }

    @Override
    public AgentRuntime runtime() {
        check("runtime");
        return cell.runtime();
    }

    @Override
    public Timers<M> timers() {
        check("timers");
        return cell.timers();
    }

    @Override
    public void watch(final AgentId target) {
        Objects.requireNonNull(target, "target");
        check("watch");
        cell.watch(target);
    }

    @Override
    public void unwatch(final AgentId target) {
        Objects.requireNonNull(target, "target");
        check("unwatch");
        cell.unwatch(target);
    }

    @Override
    public <E extends M> void subscribe(final Topic<E> topic) {
        check("subscribe");
        cell.runtime().subscribe(topic, cell);
    }

    @Override
    public <E> void subscribe(final Topic<E> topic, final Function<? super E, ? extends M> adapter) {
        check("subscribe");
        cell.runtime().subscribeAdapted(topic, cell, Adapted.erase(Objects.requireNonNull(adapter, "adapter")));
    }

    @Override
    public <U> AgentRef<U> messageAdapter(final Class<U> type, final Function<? super U, ? extends M> adapter) {
        check("messageAdapter");
        return cell.messageAdapter(type, adapter);
    }

    @Override
    public void unsubscribe(final Topic<?> topic) {
        check("unsubscribe");
        cell.runtime().unsubscribe(topic, cell.id);
    }

    /**
     * The mapper runs on whatever thread completes the stage, so neither it nor the callback around
     * it may use this context: the callback captures the cell (the ref) and the mapper only, and
     * the completing thread offers the mapper's message through the mailbox like any send
     * (rule 2.9). A mapper that uses the context anyway is refused like any foreign thread; its
     * exception is logged and nothing is delivered.
     */
    @Override
    public <R> void pipeToSelf(final CompletionStage<R> stage,
                               final BiFunction<? super R, Throwable, ? extends M> mapper) {
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(mapper, "mapper");
        check("pipeToSelf");
        final AgentCell<M> target = cell;
        final RuntimeCore runtime = target.runtime();
        stage.whenComplete((value, failure) -> {
            final M message;
            try {
                message = mapper.apply(value, failure);
            } catch (Throwable t) {
                if (runtime.escalateIfFatal(t)) {
                    return;
                }
                runtime.log.warn("pipeToSelf mapper of {} threw; nothing delivered", target.id, t);
                return;
            }
            if (message == null) {
                runtime.log.warn("pipeToSelf mapper of {} returned null; nothing delivered (rule 2.7)", target.id);
                return;
            }
            final Offer outcome = target.offer(message, true);
            if (outcome != Offer.ACCEPTED) {
                runtime.log.debug("pipeToSelf result for {} refused ({})", target.id, outcome);
            }
        });
    }

    @Override
    public void stop() {
        check("stop");
        cell.requestStop(TerminationCause.STOPPED);
    }

    @Override
    public int restartCount() {
        check("restartCount");
        return cell.restartCount();
    }

    @Override
    public String toString() {
        return "AgentContext[" + cell.id + "]";
    }
}
