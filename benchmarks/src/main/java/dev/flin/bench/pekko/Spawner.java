package dev.flin.bench.pekko;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The user guardian of every workload's actor system: spawns the workload's actors as its children
 * on request from the driver, and completes the request's future with what it spawned.
 *
 * <pre>
 * driver --Spawn/SpawnIdle--&gt; guardian (Spawner) --spawns--&gt; its children
 * </pre>
 *
 * <p>Threading: runs on the default dispatcher, like every actor; the driver only tells it.
 */
final class Spawner extends AbstractBehavior<Spawner.Command> {

    /** The guardian's protocol. */
    sealed interface Command permits Spawn, SpawnIdle {
    }

    /**
     * Spawn one named child with {@code behavior}, and complete {@code spawned} with its reference.
     *
     * @param <T> the child's protocol
     */
    record Spawn<T>(Behavior<T> behavior, String name, CompletableFuture<ActorRef<T>> spawned) implements Command {
        Spawn {
            Objects.requireNonNull(behavior, "behavior");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(spawned, "spawned");
        }

        /** Spawns the child in {@code context}; completes {@link #spawned} either way. */
        void spawnIn(final ActorContext<?> context) {
            try {
                spawned.complete(context.spawn(behavior, name));
            } catch (RuntimeException e) {
                spawned.completeExceptionally(e);
            }
        }
    }

    /** Spawn {@code count} anonymous children that are never sent anything; complete {@code spawned} with the count. */
    record SpawnIdle(int count, CompletableFuture<Integer> spawned) implements Command {
        SpawnIdle {
            Objects.requireNonNull(spawned, "spawned");
        }
    }

    private Spawner(final ActorContext<Command> context) {
        super(context);
    }

    /** @return the guardian's behavior */
    static Behavior<Command> create() {
        return Behaviors.setup(Spawner::new);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Spawn.class, this::onSpawn)
                .onMessage(SpawnIdle.class, this::onSpawnIdle)
                .build();
    }

    private Behavior<Command> onSpawn(final Spawn<?> request) {
        request.spawnIn(getContext());
        return this;
    }

    private Behavior<Command> onSpawnIdle(final SpawnIdle request) {
        int spawned = 0;
        try {
            for (; spawned < request.count(); spawned++) {
                getContext().spawnAnonymous(Behaviors.<Void>empty());
            }
            request.spawned().complete(spawned);
        } catch (RuntimeException e) {
            request.spawned().completeExceptionally(e);
        }
        return this;
    }
}
