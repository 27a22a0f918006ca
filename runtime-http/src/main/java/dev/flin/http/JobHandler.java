package dev.flin.http;

/**
 * The work of a {@link BackgroundWorker}: runs one job at a time on the worker agent's thread.
 *
 * <p>Threading: called on the worker agent's thread only, never concurrently with itself; each
 * call happens-before the next (rule 1.2), so an implementation may keep plain fields.
 *
 * @param <J> the job type, an immutable value
 */
@FunctionalInterface
public interface JobHandler<J> {

    /** @throws Exception the job failed; the outcome is published and the worker goes on */
    void run(J job) throws Exception;
}
