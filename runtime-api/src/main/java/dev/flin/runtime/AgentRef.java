package dev.flin.runtime;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * A typed handle to one agent: the only way to reach it. Holds the agent's mailbox, never its
 * state (rule 1.4). A ref stays valid after the agent terminates; sends then fail with
 * {@link AgentNotFoundException}.
 *
 * <p>Threading: any thread; never blocks. An accepted {@link #tell} happens-before the handler
 * invocation that processes the message (rule 1.2).
 *
 * @param <M> the message type the agent accepts
 */
public interface AgentRef<M> {

    /**
     * @return the agent's id
     */
    AgentId id();

    /**
     * @return the message type declared at spawn
     */
    Class<M> messageType();

    /**
     * Fire-and-forget: enqueues the message or fails at once, never blocks (rule 2.2). Messages
     * from one thread to one agent are processed in the order of their accepted tells (rule 2.3).
     *
     * @param message the message, not null (rule 2.7)
     * @throws NullPointerException     if message is null; nothing is enqueued
     * @throws MailboxFullException     if the mailbox is at capacity; nothing is enqueued
     * @throws AgentNotFoundException   if the agent is stopping or terminated
     * @throws RuntimeStoppedException  if the runtime has shut down
     */
    void tell(M message);

    /**
     * Like {@link #tell}, but reports a full mailbox by returning {@code false} instead of throwing
     * (rule 2.2): for senders outside the runtime that retry or shed load at high rates, where an
     * exception per refusal costs more than the send itself. A refusal enqueues nothing and is
     * counted as {@code rejectedFull}, as for {@link #tell}. Never blocks.
     *
     * <p>The default implementation calls {@link #tell} and catches the exception; a runtime
     * overrides it to refuse without one.
     *
     * @param message the message, not null (rule 2.7)
     * @return {@code true} if the message was accepted, {@code false} if the mailbox was full
     * @throws NullPointerException     if message is null; nothing is enqueued
     * @throws AgentNotFoundException   if the agent is stopping or terminated
     * @throws RuntimeStoppedException  if the runtime has shut down
     */
    default boolean tryTell(final M message) {
        try {
            tell(message);
            return true;
        } catch (final MailboxFullException full) {
            return false;
        }
    }

    /**
     * Like {@link #tell}, but reports every refusal as a value instead of an exception: a full
     * mailbox, an agent that is not alive, a runtime that stopped. For senders that must not throw on
     * the hot path of shedding load or of talking to agents that may have stopped. Never blocks.
     *
     * <p>The default implementation calls {@link #tell} and catches the exceptions; a runtime
     * overrides it to refuse without building one.
     *
     * @param message the message, not null (rule 2.7)
     * @return what happened to it
     * @throws NullPointerException if message is null (a programming error, not a refusal)
     */
    default SendOutcome trySend(final M message) {
        try {
            tell(message);
            return SendOutcome.ACCEPTED;
        } catch (final MailboxFullException full) {
            return SendOutcome.MAILBOX_FULL;
        } catch (final RuntimeStoppedException stopped) {
            return SendOutcome.RUNTIME_STOPPED;
        } catch (final AgentNotFoundException notFound) {
            return SendOutcome.NOT_FOUND;
        }
    }

    /**
     * Request-response (rule 5.1): builds the request around a fresh one-shot {@link Reply},
     * sends it, and returns a stage completed exactly once with the reply, an
     * {@link AskTimeoutException} after {@code timeout}, or the send failure
     * ({@link MailboxFullException}, {@link AgentNotFoundException}, {@link RuntimeStoppedException}:
     * the stage is then already completed when {@code ask} returns, rule 5.3), or an
     * {@link AgentTerminatedException} if the agent terminates before replying.
     *
     * <p>Never blocks, also when called from an agent (rule 5.5). Dependent actions attached with
     * the non-async methods may run on the replying agent's thread or the timer thread: keep them
     * short, or use {@link AgentContext#pipeToSelf} from inside an agent.
     *
     * @param request builds the request from the reply handle, on the calling thread
     * @param timeout how long to wait for the reply, positive; one beyond the clock's range (about 292
     *                years, e.g. {@code ChronoUnit.FOREVER.getDuration()}) never times out (rule 8.10)
     * @param <R>     the reply type
     * @return the stage that receives the reply or the failure
     */
    <R> CompletionStage<R> ask(Function<Reply<R>, ? extends M> request, Duration timeout);
}
