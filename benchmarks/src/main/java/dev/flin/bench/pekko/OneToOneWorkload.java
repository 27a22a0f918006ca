package dev.flin.bench.pekko;

import dev.flin.bench.Params;
import dev.flin.bench.Workload;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * OneToOneTell on Pekko: the driver tells one long-lived {@link MessageCounter} the operation's
 * messages (one reused {@link MessageCounter.Increment}), then a {@link MessageCounter.Report} whose
 * future the counter completes with its count; the mailbox is FIFO per sender, so the report comes
 * after every increment.
 *
 * <pre>
 * benchmark thread --tell Increment x N, Report--&gt; [mailbox] --&gt; counter (default dispatcher)
 * </pre>
 */
final class OneToOneWorkload implements Workload {

    private static final String SCENARIO = "OneToOneTell";

    private final PekkoSystem system;
    private final Params.OneToOne params;
    private final ActorRef<MessageCounter.Command> counter;

    private OneToOneWorkload(final PekkoSystem system, final Params.OneToOne params) throws Exception {
        this.system = system;
        this.params = params;
        this.counter = system.spawn(MessageCounter.create(), "counter");
    }

    /**
     * @param params the scenario's parameters
     * @return the workload, its actor system and counter started
     */
    static Workload start(final Params.OneToOne params) {
        return PekkoSystem.build(SCENARIO, system -> new OneToOneWorkload(system, params));
    }

    @Override
    public long runOnce() throws Exception {
        final MessageCounter.Increment increment = MessageCounter.Increment.INSTANCE;
        for (int i = params.messages(); i > 0; i--) {
            counter.tell(increment);
        }
        final CompletableFuture<Long> count = new CompletableFuture<>();
        counter.tell(new MessageCounter.Report(count));
        return PekkoSystem.await(count, SCENARIO,
                () -> PekkoSystem.progress(List.of(counter), MessageCounter.Progress::new, "messages"));
    }

    @Override
    public long expected() {
        return params.expected();
    }

    @Override
    public void close() throws Exception {
        system.close();
    }
}
