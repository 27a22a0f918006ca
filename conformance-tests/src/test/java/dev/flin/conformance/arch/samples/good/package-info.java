/**
 * Agent code that follows every rule of {@link dev.flin.conformance.arch.NoSharedStateRules},
 * including the cases a careless rule would flag (try/finally, switches, captured finals, nested
 * helpers, a self-referencing message, a lambda agent, locks outside agents).
 */
package dev.flin.conformance.arch.samples.good;
