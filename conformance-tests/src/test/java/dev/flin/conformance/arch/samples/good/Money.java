package dev.flin.conformance.arch.samples.good;

import java.util.Objects;

/** A final value class: final fields of immutable types. */
public final class Money {
    private final long cents;
    private final String currency;

    /**
     * @param cents    amount in cents
     * @param currency ISO code
     */
    public Money(final long cents, final String currency) {
        this.cents = cents;
        this.currency = Objects.requireNonNull(currency);
    }

    /** @return amount in cents */
    public long cents() {
        return cents;
    }

    /** @return ISO code */
    public String currency() {
        return currency;
    }
}
