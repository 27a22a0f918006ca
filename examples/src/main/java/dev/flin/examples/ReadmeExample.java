package dev.flin.examples;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.Backoff;
import dev.flin.runtime.Reply;
import dev.flin.runtime.RestartPolicy;
import dev.flin.runtime.SpawnOptions;
import dev.flin.runtime.core.FlinRuntime;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/** The README's usage example, kept compiling and running by {@code ReadmeExampleTest}. */
public final class ReadmeExample {

    private ReadmeExample() {
    }

    /** A request with its one-shot reply handle. */
    public record Greet(String name, Reply<String> replyTo) { }

    /**
     * @return the greeting the example prints
     */
    public static String run() {
        // --- README snippet starts
        try (AgentRuntime runtime = FlinRuntime.create()) {
            AgentRef<Greet> greeter = runtime.spawn(Greet.class, () -> new Agent<>() {
                private int greeted;                     // owned by the agent: no locks needed (rule 1.2)

                @Override
                public void onMessage(Greet greet, AgentContext<Greet> ctx) {
                    greeted++;
                    greet.replyTo().reply("hello " + greet.name() + " (#" + greeted + ")");
                }
            }, SpawnOptions.defaults()
                    .withName("greeter")
                    .withMailboxCapacity(1024)
                    .withRestartPolicy(RestartPolicy.onFailure(3, Duration.ofMinutes(1),
                            Backoff.exponential(Duration.ofMillis(10), Duration.ofSeconds(1)))));

            CompletionStage<String> reply = greeter.<String>ask(r -> new Greet("Ada", r), Duration.ofSeconds(1));
            String text = reply.toCompletableFuture().join();   // main thread may wait; agents never do
            runtime.stop(runtime.lookup("greeter").orElseThrow());     // graceful: accepted messages finish first
            return text;
        }
        // --- README snippet ends
    }
}
