package dev.flin.todo;

import dev.flin.http.JobHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "Sends" a {@link Reminder}: writes the message, does a few milliseconds of real work on it
 * (rounds of SHA-256, standing in for rendering and handing the mail to a relay, without parking
 * the worker's thread), logs one line and counts it.
 *
 * <p>Threading: {@link #run} is called on the {@code "reminders"} worker agent's thread, one job at
 * a time; {@link #sent()} may be read from any thread (an atomic counter, written after the log line).
 */
public final class ReminderSender implements JobHandler<Reminder> {

    private static final Logger LOG = LoggerFactory.getLogger(ReminderSender.class);

    private final int workRounds;
    private final AtomicLong sent = new AtomicLong();

    /**
     * @param workRounds rounds of SHA-256 per reminder (about a microsecond each); 0 for none
     */
    public ReminderSender(final int workRounds) {
        if (workRounds < 0) {
            throw new IllegalArgumentException("workRounds must be >= 0, was " + workRounds);
        }
        this.workRounds = workRounds;
    }

    @Override
    public void run(final Reminder job) throws NoSuchAlgorithmException {
        final String mail = "Reminder: \"" + job.title() + "\" (todo " + job.todoId() + ") is still open. Asked for at "
                + job.requestedAt() + ".";
        final MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] digest = mail.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < workRounds; i++) {
            digest = sha.digest(digest);
        }
        LOG.info("reminder sent for todo {} (message id {})", job.todoId(), HexFormat.of().formatHex(digest, 0, 8));
        sent.incrementAndGet();
    }

    /** @return reminders sent since start */
    public long sent() {
        return sent.get();
    }
}
