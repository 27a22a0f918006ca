package dev.flin.conformance;

/**
 * Property-based checks (jqwik) that cut across sections: generated workloads, action sequences
 * driven from several threads against a sequential model, conservation under random schedules.
 * Each property names the rule it checks first; a failure prints the seed and a shrunk sample.
 */
public interface PropertyRules extends KitSupport {
}
