/**
 * runtime-http's optional binding to runtime-core: {@link dev.flin.http.core.EventLoopDispatcher}
 * runs a runtime-core runtime's agents on the server's Netty event loops. The rest of runtime-http
 * depends on runtime-api only; this package needs runtime-core on the class path.
 */
package dev.flin.http.core;
