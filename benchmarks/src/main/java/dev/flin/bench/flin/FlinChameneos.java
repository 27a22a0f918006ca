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
 * Savina "chameneos": creatures meet through one broker, the mall, until the mall has counted the
 * meetings; then each creature fades and reports how many meetings it took part in.
 *
 * <pre>
 * creature i --Meet(colour, self)--&gt; mall --Met(partner colour)--&gt; both creatures
 *                                         --Faded--&gt; creature --Report--&gt; collector --&gt; driver
 * </pre>
 *
 * <p>At most one request per creature is in flight, so the mall's mailbox (256) holds all 100.
 */
final class FlinChameneos implements Workload {

    /** The colours; a meeting of two different colours gives the third. */
    enum Colour {
        BLUE, RED, YELLOW;

        Colour complement(final Colour other) {
            if (this == other) {
                return this;
            }
            for (final Colour c : values()) {
                if (c != this && c != other) {
                    return c;
                }
            }
            throw new AssertionError();
        }
    }

    /** A creature's protocol. */
    sealed interface CreatureMessage permits Go, Met, Faded {
    }

    /** Start meeting. */
    record Go() implements CreatureMessage {
    }

    /** You met a creature of this colour. */
    record Met(Colour partner) implements CreatureMessage {
    }

    /** No more meetings: report. */
    record Faded() implements CreatureMessage {
    }

    /** The mall's protocol. */
    sealed interface MallMessage permits Meet, Open, Report {
    }

    /** A creature asks to meet. */
    record Meet(Colour colour, AgentRef<CreatureMessage> creature) implements MallMessage {
    }

    /** Open for {@code meetings} meetings; the sum of the creatures' reports completes {@code done}. */
    record Open(int meetings, int creatures, CompletableFuture<Long> done) implements MallMessage {
    }

    /** A faded creature's meeting count. */
    record Report(long meetings) implements MallMessage {
    }

    private static final Go GO = new Go();
    private static final Faded FADED = new Faded();

    private final String system;
    private final AgentRuntime runtime;
    private final AgentRef<MallMessage> mall;
    private final AgentRef<CreatureMessage>[] creatures;
    private final int meetings;

    @SuppressWarnings("unchecked")
    FlinChameneos(final String system, final IdleStrategy idle, final Params.Chameneos params) {
        this.system = system;
        this.meetings = params.meetings();
        this.runtime = FlinSupport.runtime(idle, system);
        this.mall = runtime.spawn(MallMessage.class, Mall::new);
        this.creatures = new AgentRef[params.creatures()];
        for (int i = 0; i < creatures.length; i++) {
            final Colour colour = Colour.values()[i % 3];
            creatures[i] = runtime.spawn(CreatureMessage.class, () -> new Creature(colour, mall));
        }
    }

    @Override
    public long runOnce() throws Exception {
        final CompletableFuture<Long> done = new CompletableFuture<>();
        mall.tell(new Open(meetings, creatures.length, done));
        for (final AgentRef<CreatureMessage> creature : creatures) {
            creature.tell(GO);
        }
        return FlinSupport.await(done, "SavinaChameneos", system);
    }

    @Override
    public long expected() {
        return 2L * meetings;
    }

    @Override
    public void close() {
        FlinSupport.shutdown(runtime, system);
    }

    /** Pairs waiting creatures and counts meetings; sums the reports. */
    private static final class Mall implements Agent<MallMessage> {
        private int left;
        private int reportsLeft;
        private long reported;
        private Meet waiting;
        private CompletableFuture<Long> done;

        @Override
        public void onMessage(final MallMessage message, final AgentContext<MallMessage> context) {
            if (message instanceof Meet meet) {
                if (left == 0) {
                    meet.creature().tell(FADED);
                } else if (waiting == null) {
                    waiting = meet;
                } else {
                    left--;
                    waiting.creature().tell(new Met(meet.colour()));
                    meet.creature().tell(new Met(waiting.colour()));
                    // Pairing always takes the waiting creature, so none waits once left is 0:
                    // every creature's next request is answered with Faded.
                    waiting = null;
                }
            } else if (message instanceof Report report) {
                reported += report.meetings();
                if (--reportsLeft == 0) {
                    done.complete(reported);
                }
            } else {
                final Open open = (Open) message;
                left = open.meetings();
                reportsLeft = open.creatures();
                reported = 0;
                waiting = null;
                done = open.done();
            }
        }
    }

    /** Meets, changes colour, meets again; reports once faded. */
    private static final class Creature implements Agent<CreatureMessage> {
        private final Colour initial;
        private final AgentRef<MallMessage> mall;
        private Colour colour;
        private long meetings;
        private AgentRef<CreatureMessage> self;

        Creature(final Colour initial, final AgentRef<MallMessage> mall) {
            this.initial = initial;
            this.mall = mall;
        }

        @Override
        public void onStart(final AgentContext<CreatureMessage> context) {
            self = context.self();
        }

        @Override
        public void onMessage(final CreatureMessage message, final AgentContext<CreatureMessage> context) {
            if (message instanceof Go) {
                colour = initial;
                meetings = 0;
            } else if (message instanceof Met met) {
                meetings++;
                colour = colour.complement(met.partner());
            } else {
                mall.tell(new Report(meetings));
                return;
            }
            mall.tell(new Meet(colour, self));
        }
    }
}
