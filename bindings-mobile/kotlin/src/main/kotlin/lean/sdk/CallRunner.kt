package lean.sdk

import java.security.SecureRandom
import kotlin.coroutines.cancellation.CancellationException
import lean.sdk.ffi.NativeCall
import lean.sdk.ffi.NativeHeader
import lean.sdk.ffi.NativeOutcome
import lean.sdk.ffi.NativeRequest
import lean.sdk.ffi.NativeResponse
import lean.sdk.ffi.NativeStep
import lean.sdk.ffi.TransportErrorKind

/**
 * Drives a call of the core's engine through a [Transport]: sends each request it asks for,
 * waits when it says so, reports every answer or failure, until it ends. Retries, idempotency
 * keys and reconciliation are the engine's; this only moves bytes. Both clients (payouts and
 * open banking) run their calls here, one generated call per step.
 */
internal class CallRunner(
    private val transport: Transport,
    /** How long one attempt may take, from the client's configuration. */
    private val timeoutMillis: Long,
    /** How to wait between attempts; tests record the waits instead. */
    private val sleep: suspend (Long) -> Unit,
    /** Where the call's events go; `null` records none. */
    private val logger: LeanLogger?,
) {
    private val random = SecureRandom()

    /**
     * Starts a call with [start] (given the 32 random bytes the engine takes for idempotency
     * keys and jitter) and runs it to its end; returns its result, or throws its error. The
     * call is freed however this ends; a cancellation is rethrown with what the call had sent
     * attached ([interruptedCall]).
     */
    suspend fun run(start: (entropy: ByteArray) -> NativeCall): NativeOutcome {
        val entropy = ByteArray(32).also(random::nextBytes)
        native { start(entropy) }.use { call ->
            if (logger != null) call.recordEvents(true)
            try {
                while (true) {
                    val step = try {
                        native { call.poll() }
                    } finally {
                        log(call)
                    }
                    when (step) {
                        is NativeStep.Send -> exchange(call, step.request)
                        is NativeStep.Wait -> sleep(step.millis.toLong())
                        is NativeStep.Done -> {
                            attemptRecorder()?.add(call.attempts().map { it.toAttempt() })
                            return step.outcome
                        }
                    }
                }
            } catch (e: CancellationException) {
                val cancelled = interrupted(e) { reason -> throw call.interrupt(reason).toException() }
                // Logged once the report is attached: a logger that sees the call end finds it
                // on the cancellation.
                log(call)
                throw cancelled
            }
        }
    }

    /** Sends one request, timing it by this machine's monotonic clock for the attempt list. */
    private suspend fun exchange(call: NativeCall, request: NativeRequest) {
        val started = System.nanoTime()
        fun elapsed() = ((System.nanoTime() - started) / 1_000_000).toULong()
        val response = try {
            transport.send(request.toHttp(), timeoutMillis)
        } catch (e: TransportFailure) {
            return failed(call, e.kind.toNative(), e, elapsed())
        } catch (e: CancellationException) {
            throw e
        } catch (e: Exception) {
            // A custom transport's own exception: no answer arrived, and the core decides
            // whether that attempt may have been applied.
            return failed(call, TransportErrorKind.OTHER, e, elapsed())
        }
        native { call.onResponseTimed(response.toNative(), elapsed()) }
        log(call)
    }

    private fun failed(call: NativeCall, kind: TransportErrorKind, e: Exception, elapsed: ULong) {
        native { call.onTransportErrorTimed(kind, e.message ?: e.javaClass.simpleName, elapsed) }
        log(call)
    }

    /** Hands the events of the last step to the logger, if there is one. */
    private fun log(call: NativeCall) {
        if (logger != null) emit(logger, call.takeEvents())
    }
}

/** How an attempt failed, as the core takes it. */
internal fun TransportFailureKind.toNative() = when (this) {
    TransportFailureKind.CONNECT -> TransportErrorKind.CONNECT
    TransportFailureKind.TIMEOUT -> TransportErrorKind.TIMEOUT
    TransportFailureKind.OTHER -> TransportErrorKind.OTHER
}

/** The core's request, as a [Transport] takes it. */
internal fun NativeRequest.toHttp() = HttpRequest(method, url, headers.map { it.name to it.value }, body)

/** A [Transport]'s answer, as the core takes it. */
internal fun HttpResponse.toNative() = NativeResponse(status.toUShort(), headers.map { (n, v) -> NativeHeader(n, v) }, body)

/**
 * The cancellation [e] of a call, with what the call had sent attached ([interruptedCall]):
 * [interrupt] ends the call in the library with a reason and throws the error that reports
 * it.
 */
internal fun interrupted(e: CancellationException, interrupt: (String) -> Unit): CancellationException {
    if (e.interruptedCall != null) return e
    val reason = "the call was cancelled" + (e.message?.let { " ($it)" } ?: "")
    val error = try {
        interrupt(reason)
        TransportException(reason, outcomeUnknown = true)
    } catch (reported: TransportException) {
        reported
    } catch (other: LeanException) {
        TransportException(other.message ?: reason, outcomeUnknown = true)
    }
    // Attached to the cancellation and to the causes it wraps: with coroutine stack-trace
    // recovery, what was caught here may be a copy of the job's own cancellation, which is
    // what `await()` and `withTimeout` throw to the caller.
    generateSequence<Throwable>(e) { it.cause }.take(8).filterIsInstance<CancellationException>()
        .forEach { it.addSuppressed(error) }
    return e
}
