package dev.flin.conformance.arch.samples.good;

import dev.flin.runtime.AgentId;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.Reply;
import java.time.Instant;

/** The account agent's messages: a sealed interface of records. */
public sealed interface AccountMessage permits AccountMessage.Deposit, AccountMessage.Balance,
        AccountMessage.Notify, AccountMessage.Audit, AccountMessage.Kind {

    /** Adds money. */
    record Deposit(Money amount, Instant at) implements AccountMessage { }

    /** Asks for the balance. */
    record Balance(Reply<Money> replyTo) implements AccountMessage { }

    /** Tells another agent, by ref and id. */
    record Notify(AgentRef<String> target, AgentId audit) implements AccountMessage { }

    /** A chain of audit entries: a self-referencing record. */
    record Audit(String entry, Audit previous) implements AccountMessage { }

    /** An enum message. */
    enum Kind implements AccountMessage { OPEN, CLOSE }
}
