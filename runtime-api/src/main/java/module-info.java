/**
 * The FLIN agent model's contracts: agents, messages, lifecycle, registry, request-response,
 * publish-subscribe, timers and the typed error model. Depends on the JDK only.
 *
 * <p>The rules these types implement are numbered in {@code docs/spec.md}; javadoc and error
 * messages cite them as "rule N.M".
 */
module dev.flin.runtime.api {
    requires static transitive org.jspecify;

    exports dev.flin.runtime;
}
