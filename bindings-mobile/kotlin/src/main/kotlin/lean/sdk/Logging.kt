package lean.sdk

import java.util.logging.Level
import java.util.logging.LogRecord
import java.util.logging.Logger
import lean.sdk.ffi.NativeEvent

/**
 * One decision or exchange of a call (an attempt sent, an answer, a retry, a lookup, the
 * outcome) or of the OAuth token policy, as the SDK's core words it: every Lean SDK logs the
 * same lines. Nothing in it is secret: no API key, token, client secret or body, only names,
 * URL paths, statuses, request ids, error codes and your own ids.
 */
class LeanEvent internal constructor(
    /** How much it matters: map it to your logging's levels. */
    val level: Level,
    /** The event's stable name (`attempt_sent`, `retry_scheduled`, `call_finished`...). */
    val name: String,
    /** The line to log, such as `sending again in 480 ms: after 503`. */
    val message: String,
    /**
     * The event as one JSON object (`event`, `level`, `message`, then its fields in camelCase:
     * `attempt`, `status`, `requestId`, `delayMs`...), for structured logs.
     */
    val json: String,
) {
    /** The core's two levels. */
    enum class Level {
        /** Every request sent and answer received. */
        DEBUG,
        /** What a call decided (a retry, a lookup) and how it ended. */
        INFO,
    }

    override fun toString() = "LeanEvent($name: $message)"

    internal companion object {
        fun of(event: NativeEvent) = LeanEvent(
            // A level newer than this SDK is logged rather than lost.
            if (event.level == "debug") Level.DEBUG else Level.INFO,
            event.name, event.message, event.json,
        )
    }
}

/**
 * Where a client sends its [LeanEvent]s: pass one as `logger` to see what the SDK did (each
 * attempt, its status and request id, each retry and why). Without one the core records
 * nothing, so logging costs nothing when off. Called on the calling coroutine, in order; an
 * exception it throws is ignored rather than failing the call.
 *
 * On Android, two lines send them to Logcat:
 * ```
 * val logcat = LeanLogger { e -> if (e.level == LeanEvent.Level.DEBUG) Log.d("Lean", e.message) else Log.i("Lean", e.message) }
 * ```
 */
fun interface LeanLogger {
    /** Handles one event. */
    fun log(event: LeanEvent)

    companion object {
        /**
         * Logs to [logger] (`lean.sdk` by default) of `java.util.logging`: [LeanEvent.Level.DEBUG]
         * as `FINE`, [LeanEvent.Level.INFO] as `INFO`, each record named by the logger and the
         * event (`lean.sdk retry_scheduled`) rather than by the SDK's internals.
         */
        @JvmStatic
        @JvmOverloads
        fun javaUtilLogging(logger: Logger = Logger.getLogger("lean.sdk")): LeanLogger = LeanLogger { event ->
            val level = if (event.level == LeanEvent.Level.DEBUG) Level.FINE else Level.INFO
            if (logger.isLoggable(level)) {
                logger.log(
                    LogRecord(level, event.message).apply {
                        loggerName = logger.name
                        sourceClassName = logger.name
                        sourceMethodName = event.name
                    },
                )
            }
        }
    }
}

/** Hands the core's events to [logger], in order; a logger's failure never fails a call. */
internal fun emit(logger: LeanLogger, events: List<NativeEvent>) {
    for (event in events) {
        try {
            logger.log(LeanEvent.of(event))
        } catch (_: Exception) {
            // Logging is an observer: the call's outcome must not depend on it.
        }
    }
}
