package dev.flin.conformance;

import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.PropagationMode;

/**
 * The FLIN conformance kit. Extend it once, return your {@link RuntimeProvider}, and run it as a
 * test class (jqwik engine on the JUnit Platform):
 *
 * <pre>{@code
 * class MyRuntimeConformanceVerification extends FlinConformanceKit {
 *     @Override
 *     public RuntimeProvider provider() {
 *         return MyRuntime::create;
 *     }
 * }
 * }</pre>
 *
 * Every rule of {@code docs/spec.md} is checked by at least one method named after it
 * ({@code required_spec_2_2_...}); checks of optional capabilities are skipped with a reason when
 * the provider lacks them; rules the kit cannot check yet are reported as skipped
 * ({@code untested_...}). Running the kit writes a report per verification class to
 * {@code target/flin-conformance/} (see {@link ConformanceReportListener}).
 *
 * <p>Threading: jqwik runs the checks one at a time; each gets a fresh {@link Kit}, closed after it.
 */
@AddLifecycleHook(value = CapabilitySkipHook.class, propagateTo = PropagationMode.ALL_DESCENDANTS)
@AddLifecycleHook(value = RunGuardHook.class, propagateTo = PropagationMode.ALL_DESCENDANTS)
@AddLifecycleHook(value = KitChecksHook.class, propagateTo = PropagationMode.ALL_DESCENDANTS)
public abstract class FlinConformanceKit implements AgentRules, MailboxRules, LifecycleRules, SupervisionRules,
        AskRules, AdapterRules, PubSubRules, TimerRules, RegistryRules, PropertyRules, ClarifiedRules, DispatcherRules {

    private Kit kit;

    /**
     * @return the runtime under test
     */
    public abstract RuntimeProvider provider();

    @Override
    public final Kit kit() {
        if (kit == null) {
            kit = new Kit(provider());
        }
        return kit;
    }

    @AfterTry
    final void closeKit() {
        final Kit current = kit;
        kit = null;
        if (current != null) {
            current.close();
        }
    }
}
