package dev.flin.bench.pekko;

import dev.flin.bench.Params;
import dev.flin.bench.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Savina "threadring" on Pekko: a ring of long-lived {@link Member}s, each told the next one after
 * all are spawned. The driver tells member 0 a {@link Member.Token} carrying the passes remaining,
 * the passes counted so far and the driver's future; each member that receives it tells the next a
 * new token with one pass fewer remaining and one more counted, and the member that receives it with
 * none remaining completes the future with the passes counted.
 *
 * <pre>
 * benchmark thread --Token(passes)--&gt; member 0 --&gt; member 1 --&gt; ... --&gt; member N-1 --+
 *                                          ^                                          |
 *                                          +------------------------------------------+
 * </pre>
 *
 * <p>Threading: every member runs on the default dispatcher.
 */
final class ThreadRingWorkload implements Workload {

    private static final String SCENARIO = "SavinaThreadRing";

    /**
     * One member of the ring.
     *
     * <p>Threading: runs on the default dispatcher.
     */
    static final class Member extends AbstractBehavior<Member.Command> {

        /** A member's protocol. */
        sealed interface Command permits Link, Token, Progress {
        }

        /** The member to pass the token to; complete {@code linked} when known. */
        record Link(ActorRef<Command> next, CompletableFuture<Void> linked) implements Command {
            Link {
                Objects.requireNonNull(next, "next");
                Objects.requireNonNull(linked, "linked");
            }
        }

        /** The token: passes still to make, passes made, and the future the last holder completes. */
        record Token(long remaining, long passes, CompletableFuture<Long> done) implements Command {
            Token {
                Objects.requireNonNull(done, "done");
            }
        }

        /** Complete {@code passes} with the passes this member has made since it was started. */
        record Progress(CompletableFuture<Long> passes) implements Command {
            Progress {
                Objects.requireNonNull(passes, "passes");
            }
        }

        private ActorRef<Command> next;
        private long passed;

        private Member(final ActorContext<Command> context) {
            super(context);
        }

        static Behavior<Command> create() {
            return Behaviors.setup(Member::new);
        }

        @Override
        public Receive<Command> createReceive() {
            return newReceiveBuilder()
                    .onMessage(Token.class, this::onToken)
                    .onMessage(Link.class, this::onLink)
                    .onMessage(Progress.class, this::onProgress)
                    .build();
        }

        private Behavior<Command> onLink(final Link link) {
            next = link.next();
            link.linked().complete(null);
            return this;
        }

        private Behavior<Command> onToken(final Token token) {
            if (token.remaining() == 0) {
                token.done().complete(token.passes());
            } else {
                passed++;
                next.tell(new Token(token.remaining() - 1, token.passes() + 1, token.done()));
            }
            return this;
        }

        private Behavior<Command> onProgress(final Progress progress) {
            progress.passes().complete(passed);
            return this;
        }
    }

    private final PekkoSystem system;
    private final Params.ThreadRing params;
    private final List<ActorRef<Member.Command>> ring;

    private ThreadRingWorkload(final PekkoSystem system, final Params.ThreadRing params) throws Exception {
        this.system = system;
        this.params = params;
        final List<ActorRef<Member.Command>> members = new ArrayList<>(params.agents());
        for (int i = 0; i < params.agents(); i++) {
            members.add(system.spawn(Member.create(), "member-" + i));
        }
        this.ring = List.copyOf(members);
        for (int i = 0; i < ring.size(); i++) {
            final CompletableFuture<Void> linked = new CompletableFuture<>();
            ring.get(i).tell(new Member.Link(ring.get((i + 1) % ring.size()), linked));
            PekkoSystem.await(linked, SCENARIO, () -> "ring not linked yet");
        }
    }

    /**
     * @param params the scenario's parameters
     * @return the workload, its actor system and linked ring started
     */
    static Workload start(final Params.ThreadRing params) {
        return PekkoSystem.build(SCENARIO, system -> new ThreadRingWorkload(system, params));
    }

    @Override
    public long runOnce() throws Exception {
        final CompletableFuture<Long> passes = new CompletableFuture<>();
        ring.get(0).tell(new Member.Token(params.passes(), 0, passes));
        return PekkoSystem.await(passes, SCENARIO, () -> "the token had not come back; "
                + PekkoSystem.progress(ring, Member.Progress::new, "passes (over every operation so far)"));
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
