package dev.flin.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.flin.examples.ReadmeExample.Greet;
import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentRef;
import dev.flin.testkit.DeterministicRuntime;
import dev.flin.testkit.FlinTestKit;
import dev.flin.testkit.FlinTestKitExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The README's testkit snippet ("Testing your agents"), kept compiling and passing. */
@ExtendWith(FlinTestKitExtension.class)
class GreeterTest {

    /** The README's greeter, as a class. */
    static final class Greeter implements Agent<Greet> {
        private int greeted;

        @Override
        public void onMessage(final Greet greet, final AgentContext<Greet> ctx) {
            greeted++;
            greet.replyTo().reply("hello " + greet.name() + " (#" + greeted + ")");
        }
    }

    // --- README snippet starts
    @Test
    @DeterministicRuntime                      // on the test's thread, manual clock, seed printed on failure
    void greets(FlinTestKit kit) {
        AgentRef<Greet> greeter = kit.spawn(Greet.class, Greeter::new);
        String greeting = kit.askAndAwait(greeter, r -> new Greet("Ada", r));
        assertEquals("hello Ada (#1)", greeting);
    }
    // --- README snippet ends
}
