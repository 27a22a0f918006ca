package dev.flin.http;

import java.time.Duration;

/**
 * What became of one background job, published on {@link BackgroundWorker#outcomes()}.
 *
 * <p>Threading: an immutable value.
 *
 * @param worker the worker's name
 * @param jobNumber 1 for the first job the worker ran, then 2, ...
 * @param job the job's {@code toString()}
 * @param succeeded whether {@link JobHandler#run} returned normally
 * @param error the failure's type and message, empty when it succeeded
 * @param took how long the run took
 */
public record JobOutcome(String worker, long jobNumber, String job, boolean succeeded, String error, Duration took) {
}
