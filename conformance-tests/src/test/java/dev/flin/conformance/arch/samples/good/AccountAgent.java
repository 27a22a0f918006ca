package dev.flin.conformance.arch.samples.good;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import java.util.ArrayList;
import java.util.List;

/** Owns its state in private fields; no locks; talks by messages. */
public final class AccountAgent implements Agent<AccountMessage> {
    private static final String CURRENCY = "EUR";

    private long cents;
    private final List<String> history = new ArrayList<>();
    private final Ledger ledger = new Ledger();

    /** A mutable helper the agent owns (nested in it). */
    static final class Ledger {
        private int entries;

        void add() {
            entries++;
        }
    }

    @Override
    public void onMessage(final AccountMessage message, final AgentContext<AccountMessage> context) {
        try {
            if (message instanceof AccountMessage.Deposit deposit) {
                cents += deposit.amount().cents();
                history.add("deposit " + deposit.amount().cents());
                ledger.entries++;
            } else if (message instanceof AccountMessage.Balance balance) {
                balance.replyTo().reply(new Money(cents, CURRENCY));
            } else if (message instanceof AccountMessage.Notify notify) {
                notify.target().tell("balance " + cents);
            } else if (message instanceof AccountMessage.Kind kind) {
                switch (kind) {
                    case OPEN -> history.add("open");
                    case CLOSE -> context.stop();
                    default -> throw new IllegalStateException();
                }
            }
        } finally {
            ledger.add();
        }
    }
}
