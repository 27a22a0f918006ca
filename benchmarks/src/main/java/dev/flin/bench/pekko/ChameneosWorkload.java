package dev.flin.bench.pekko;

import dev.flin.bench.Params;
import dev.flin.bench.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Savina "chameneos" on Pekko: one long-lived {@link Mall} and {@code creatures} long-lived
 * {@link Creature}s, coloured blue, red, yellow by index. The driver tells the mall to open for the
 * operation's meetings, then tells every creature to start with its own future. A creature asks the
 * mall for a meeting; the mall holds one waiting creature and, when a second asks, counts a meeting
 * and tells each of the two the other's colour; a creature that met someone counts it, takes the
 * complement colour and asks again. Once the mall has counted its meetings it answers every request
 * with {@link Creature.Faded}, and a faded creature completes its future with its meeting count.
 *
 * <pre>
 * creature i --MeetRequest(colour, self)--&gt; mall --Met(partner's colour) or Faded--&gt; creature i
 * </pre>
 *
 * <p>Threading: the mall and every creature run on the default dispatcher.
 */
@SuppressWarnings("SameNameButDifferent") // each actor declares its own Command protocol, as Pekko's style guide does
final class ChameneosWorkload implements Workload {

    private static final String SCENARIO = "SavinaChameneos";

    /** A chameneos colour, and Savina's rule for the colour after a meeting. */
    enum Colour {
        BLUE, RED, YELLOW;

        /** @return the colour of the creature with {@code index}: blue, red, yellow, cycled */
        static Colour ofIndex(final int index) {
            switch (index % 3) {
                case 0:
                    return BLUE;
                case 1:
                    return RED;
                default:
                    return YELLOW;
            }
        }

        /** @return this colour if {@code other} is the same, otherwise the third colour */
        Colour complement(final Colour other) {
            if (this == other) {
                return this;
            }
            switch (this) {
                case BLUE:
                    return other == RED ? YELLOW : RED;
                case RED:
                    return other == BLUE ? YELLOW : BLUE;
                default:
                    return other == BLUE ? RED : BLUE;
            }
        }
    }

    /**
     * The broker: pairs creatures until it has counted the operation's meetings.
     *
     * <p>Threading: runs on the default dispatcher.
     */
    static final class Mall extends AbstractBehavior<Mall.Command> {

        /** The mall's protocol. */
        sealed interface Command permits Open, MeetRequest, Progress {
        }

        /** Start an operation: hold no one, and allow {@code meetings} meetings. */
        record Open(int meetings) implements Command {
        }

        /** A creature of {@code colour} asks for a meeting; answer to {@code creature}. */
        record MeetRequest(Colour colour, ActorRef<Creature.Command> creature) implements Command {
            MeetRequest {
                Objects.requireNonNull(colour, "colour");
                Objects.requireNonNull(creature, "creature");
            }
        }

        /** Complete {@code meetings} with the meetings counted in this operation so far. */
        record Progress(CompletableFuture<Long> meetings) implements Command {
            Progress {
                Objects.requireNonNull(meetings, "meetings");
            }
        }

        private long remaining;
        private long counted;
        /** The creature waiting for a partner, or null. */
        private MeetRequest waiting;

        private Mall(final ActorContext<Command> context) {
            super(context);
        }

        static Behavior<Command> create() {
            return Behaviors.setup(Mall::new);
        }

        @Override
        public Receive<Command> createReceive() {
            return newReceiveBuilder()
                    .onMessage(MeetRequest.class, this::onMeetRequest)
                    .onMessage(Open.class, this::onOpen)
                    .onMessage(Progress.class, this::onProgress)
                    .build();
        }

        private Behavior<Command> onOpen(final Open open) {
            remaining = open.meetings();
            counted = 0;
            waiting = null;
            return this;
        }

        private Behavior<Command> onMeetRequest(final MeetRequest request) {
            if (remaining == 0) {
                request.creature().tell(Creature.Faded.INSTANCE);
                if (waiting != null) {
                    waiting.creature().tell(Creature.Faded.INSTANCE);
                    waiting = null;
                }
            } else if (waiting == null) {
                waiting = request;
            } else {
                remaining--;
                counted++;
                waiting.creature().tell(new Creature.Met(request.colour()));
                request.creature().tell(new Creature.Met(waiting.colour()));
                waiting = null;
            }
            return this;
        }

        private Behavior<Command> onProgress(final Progress progress) {
            progress.meetings().complete(counted);
            return this;
        }
    }

    /**
     * A creature: meets through the mall until it fades, then reports its meetings.
     *
     * <p>Threading: runs on the default dispatcher.
     */
    static final class Creature extends AbstractBehavior<Creature.Command> {

        /** A creature's protocol. */
        sealed interface Command permits Start, Met, Faded {
        }

        /** Start an operation with the initial colour; complete {@code meetings} with the count on fading. */
        record Start(CompletableFuture<Long> meetings) implements Command {
            Start {
                Objects.requireNonNull(meetings, "meetings");
            }
        }

        /** The creature met a partner of colour {@code partner}. */
        record Met(Colour partner) implements Command {
            Met {
                Objects.requireNonNull(partner, "partner");
            }
        }

        /** The mall has no more meetings. It carries nothing, so the mall reuses {@link #INSTANCE}. */
        record Faded() implements Command {
            /** The one instance the mall tells. */
            static final Faded INSTANCE = new Faded();
        }

        private final ActorRef<Mall.Command> mall;
        private final Colour initial;
        private Colour colour;
        private long meetings;
        /** The current operation's future, or null between operations. */
        private CompletableFuture<Long> done;

        private Creature(final ActorContext<Command> context, final ActorRef<Mall.Command> mall, final Colour initial) {
            super(context);
            this.mall = mall;
            this.initial = initial;
            this.colour = initial;
        }

        static Behavior<Command> create(final ActorRef<Mall.Command> mall, final Colour initial) {
            Objects.requireNonNull(mall, "mall");
            Objects.requireNonNull(initial, "initial");
            return Behaviors.setup(context -> new Creature(context, mall, initial));
        }

        @Override
        public Receive<Command> createReceive() {
            return newReceiveBuilder()
                    .onMessage(Met.class, this::onMet)
                    .onMessage(Start.class, this::onStart)
                    .onMessage(Faded.class, this::onFaded)
                    .build();
        }

        private Behavior<Command> onStart(final Start start) {
            if (done != null) {
                start.meetings().completeExceptionally(new IllegalStateException("an operation is already running"));
                return this;
            }
            done = start.meetings();
            colour = initial;
            meetings = 0;
            askForMeeting();
            return this;
        }

        private Behavior<Command> onMet(final Met met) {
            meetings++;
            colour = colour.complement(met.partner());
            askForMeeting();
            return this;
        }

        private void askForMeeting() {
            mall.tell(new Mall.MeetRequest(colour, getContext().getSelf()));
        }

        private Behavior<Command> onFaded(final Faded faded) {
            final CompletableFuture<Long> finished = done;
            done = null;
            if (finished != null) {
                finished.complete(meetings);
            }
            return this;
        }
    }

    private final PekkoSystem system;
    private final Params.Chameneos params;
    private final ActorRef<Mall.Command> mall;
    private final List<ActorRef<Creature.Command>> creatures;

    private ChameneosWorkload(final PekkoSystem system, final Params.Chameneos params) throws Exception {
        this.system = system;
        this.params = params;
        this.mall = system.spawn(Mall.create(), "mall");
        final List<ActorRef<Creature.Command>> spawned = new ArrayList<>(params.creatures());
        for (int i = 0; i < params.creatures(); i++) {
            spawned.add(system.spawn(Creature.create(mall, Colour.ofIndex(i)), "creature-" + i));
        }
        this.creatures = List.copyOf(spawned);
    }

    /**
     * @param params the scenario's parameters
     * @return the workload, its actor system, mall and creatures started
     */
    static Workload start(final Params.Chameneos params) {
        return PekkoSystem.build(SCENARIO, system -> new ChameneosWorkload(system, params));
    }

    @Override
    public long runOnce() throws Exception {
        // Told before any creature starts, so the mall is open before the first request reaches it.
        mall.tell(new Mall.Open(params.meetings()));
        final List<CompletableFuture<Long>> meetings = new ArrayList<>(creatures.size());
        for (final ActorRef<Creature.Command> creature : creatures) {
            final CompletableFuture<Long> faded = new CompletableFuture<>();
            meetings.add(faded);
            creature.tell(new Creature.Start(faded));
        }
        try {
            return PekkoSystem.awaitSum(meetings, SCENARIO, "meetings");
        } catch (TimeoutException e) {
            final TimeoutException timeout = new TimeoutException(
                    e.getMessage() + "; mall: " + PekkoSystem.progress(List.of(mall), Mall.Progress::new, "meetings"));
            timeout.initCause(e);
            throw timeout;
        }
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
