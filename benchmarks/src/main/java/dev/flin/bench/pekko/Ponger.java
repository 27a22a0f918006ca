package dev.flin.bench.pekko;

import java.util.Objects;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The answering half of a ping-pong pair: answers every {@link Ping} with a {@link Pinger.Pong} to
 * the ping's sender.
 *
 * <pre>
 * pinger --Ping(replyTo)--&gt; ponger --Pong--&gt; replyTo
 * </pre>
 *
 * <p>Threading: runs on the default dispatcher.
 */
final class Ponger {

    private Ponger() {
    }

    /** The ponger's protocol: one ping, answered to {@code replyTo}. */
    record Ping(ActorRef<Pinger.Pong> replyTo) {
        Ping {
            Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    /** @return the ponger's behavior (stateless) */
    static Behavior<Ping> create() {
        return Behaviors.receive(Ping.class)
                .onMessage(Ping.class, Ponger::onPing)
                .build();
    }

    private static Behavior<Ping> onPing(final Ping ping) {
        ping.replyTo().tell(Pinger.Pong.INSTANCE);
        return Behaviors.same();
    }
}
