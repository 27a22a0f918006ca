package dev.flin.bench.flin;

import dev.flin.bench.Params;
import dev.flin.bench.Workload;
import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.core.spi.IdleStrategy;
import java.util.concurrent.CompletableFuture;

/**
 * Savina "count": a producer agent sends increments to a counter agent, then asks for the total.
 *
 * <pre>
 * driver --Produce--&gt; producer --Increment x N, Get--&gt; counter
 *                        ^                                 |
 *                        +------------Total----------------+
 * </pre>
 *
 * <p>The counter's mailbox is bounded (256), and an agent never blocks: when {@code tryTell} finds
 * the mailbox full the producer tells itself to continue and returns, so the worker is free to run
 * the counter, and it resumes where it stopped. That is the idiomatic way for an agent to respect
 * back-pressure. (With {@code tell} and a caught {@code MailboxFullException} instead, each
 * refusal built an exception: 67 B per increment in the first baseline run.)
 */
final class FlinCount implements Workload {

    /** The producer's protocol. */
    sealed interface ProducerMessage permits Produce, Continue, Total {
    }

    /** Send {@code increments}, then report the counter's total to {@code done}. */
    record Produce(int increments, CompletableFuture<Long> done) implements ProducerMessage {
    }

    /** Resume sending after a full mailbox. */
    record Continue() implements ProducerMessage {
    }

    /** The counter's answer. */
    record Total(long value) implements ProducerMessage {
    }

    /** The counter's protocol. */
    sealed interface CounterMessage permits Increment, Get {
    }

    /** Add one; one instance is reused. */
    record Increment() implements CounterMessage {
    }

    /** Answer with the total and start again from zero. */
    record Get(AgentRef<ProducerMessage> replyTo) implements CounterMessage {
    }

    private static final Increment INCREMENT = new Increment();
    private static final Continue CONTINUE = new Continue();

    private final String system;
    private final AgentRuntime runtime;
    private final AgentRef<ProducerMessage> producer;
    private final int increments;

    FlinCount(final String system, final IdleStrategy idle, final Params.Count params) {
        this.system = system;
        this.increments = params.increments();
        this.runtime = FlinSupport.runtime(idle, system);
        final AgentRef<CounterMessage> counter = runtime.spawn(CounterMessage.class, Counter::new);
        this.producer = runtime.spawn(ProducerMessage.class, () -> new Producer(counter));
    }

    @Override
    public long runOnce() throws Exception {
        final CompletableFuture<Long> done = new CompletableFuture<>();
        producer.tell(new Produce(increments, done));
        return FlinSupport.await(done, "SavinaCount", system);
    }

    @Override
    public long expected() {
        return increments;
    }

    @Override
    public void close() {
        FlinSupport.shutdown(runtime, system);
    }

    /** Sends increments, yielding to the counter when its mailbox is full. */
    private static final class Producer implements Agent<ProducerMessage> {
        private final AgentRef<CounterMessage> counter;
        private int remaining;
        private CompletableFuture<Long> done;

        Producer(final AgentRef<CounterMessage> counter) {
            this.counter = counter;
        }

        @Override
        public void onMessage(final ProducerMessage message, final AgentContext<ProducerMessage> context) {
            if (message instanceof Total total) {
                done.complete(total.value());
                return;
            }
            if (message instanceof Produce produce) {
                remaining = produce.increments();
                done = produce.done();
            }
            while (remaining > 0) {
                if (!counter.tryTell(INCREMENT)) { // full (rule 2.2): yield the worker, resume later
                    context.self().tell(CONTINUE);
                    return;
                }
                remaining--;
            }
            if (!counter.tryTell(new Get(context.self()))) { // the last increment may have filled it
                context.self().tell(CONTINUE);
            }
        }
    }

    /** Counts increments. */
    private static final class Counter implements Agent<CounterMessage> {
        private long count;

        @Override
        public void onMessage(final CounterMessage message, final AgentContext<CounterMessage> context) {
            if (message instanceof Increment) {
                count++;
            } else {
                ((Get) message).replyTo().tell(new Total(count));
                count = 0;
            }
        }
    }
}
