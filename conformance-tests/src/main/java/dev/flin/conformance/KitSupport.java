package dev.flin.conformance;

/**
 * What every rule interface of the kit needs from the verification class: the per-check
 * {@link Kit}. Implemented by {@link FlinConformanceKit}; implementers never see it.
 */
public interface KitSupport {
    /** @return the current check's kit */
    Kit kit();
}
