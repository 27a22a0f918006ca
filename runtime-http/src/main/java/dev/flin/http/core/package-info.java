/**
 * runtime-http's optional binding to runtime-core: {@link dev.flin.http.core.EventLoopDispatcher}
 * runs a runtime-core runtime's agents on the server's Netty event loops. The rest of runtime-http
 * depends on runtime-api only; this package needs runtime-core on the class path.
 *
 * <p>Nullness: non-null unless annotated {@link org.jspecify.annotations.Nullable @Nullable}
 * (JSpecify's {@code @NullMarked}).
 */
@NullMarked
package dev.flin.http.core;

import org.jspecify.annotations.NullMarked;
