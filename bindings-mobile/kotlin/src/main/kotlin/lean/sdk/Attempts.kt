package lean.sdk

import java.util.Collections
import kotlin.coroutines.AbstractCoroutineContextElement
import kotlin.coroutines.CoroutineContext
import kotlin.coroutines.coroutineContext
import kotlinx.coroutines.withContext
import lean.sdk.ffi.NativeAttempt
import lean.sdk.ffi.TransportErrorKind

/** Which request of a call an [Attempt] sent: the operation, or the lookup after an uncertain create. */
typealias AttemptPhase = lean.sdk.ffi.AttemptPhase

/**
 * One request a call sent and how it ended. Its [requestId] is what Lean's support asks for;
 * every error carries its call's attempts ([LeanException.attempts]), and [withAttempts] gives
 * those of a successful call.
 */
data class Attempt(
    /** 1 for the call's first request, lookups counted. */
    val number: Int,
    /** The operation, or the lookup of what an uncertain create made. */
    val phase: AttemptPhase,
    /** The answer's HTTP status; `null` when no answer came. */
    val status: Int?,
    /** The answer's request id header (`x-request-id`), when it had one. */
    val requestId: String?,
    /** How the attempt failed below HTTP, when it did. */
    val transportError: TransportFailureKind?,
    /** How long it took, from handing the request to the transport to its answer or failure. */
    val elapsedMillis: Long?,
)

/** A call's [value] with the [attempts] that produced it (see [withAttempts]). */
data class Attempted<out T>(val value: T, val attempts: List<Attempt>)

/**
 * Runs [block] and returns its value with the attempts of the SDK calls it made, in order (a
 * call's own are numbered from 1): wrap one call to see the statuses and request ids behind
 * its result, e.g. `val (gig, attempts) = withAttempts { lean.createGig(newGig) }`. A call
 * that fails carries its attempts in [LeanException.attempts] instead.
 */
suspend fun <T> withAttempts(block: suspend () -> T): Attempted<T> {
    val recorder = AttemptRecorder()
    val value = withContext(recorder) { block() }
    return Attempted(value, recorder.attempts())
}

/** Collects the attempts of the calls that succeed under it (a coroutine context element). */
internal class AttemptRecorder : AbstractCoroutineContextElement(Key) {
    companion object Key : CoroutineContext.Key<AttemptRecorder>

    private val recorded = Collections.synchronizedList(mutableListOf<Attempt>())

    fun add(attempts: List<Attempt>) {
        recorded.addAll(attempts)
    }

    fun attempts(): List<Attempt> = synchronized(recorded) { recorded.toList() }
}

/** The recorder of the caller's [withAttempts], if any. */
internal suspend fun attemptRecorder(): AttemptRecorder? = coroutineContext[AttemptRecorder]

internal fun NativeAttempt.toAttempt() = Attempt(
    number.toInt(), phase, status?.toInt(), requestId,
    when (transportError) {
        TransportErrorKind.CONNECT -> TransportFailureKind.CONNECT
        TransportErrorKind.TIMEOUT -> TransportFailureKind.TIMEOUT
        TransportErrorKind.OTHER -> TransportFailureKind.OTHER
        null -> null
    },
    elapsedMs?.toLong(),
)
