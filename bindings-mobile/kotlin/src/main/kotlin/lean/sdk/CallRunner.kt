package lean.sdk

import java.nio.ByteBuffer
import kotlin.coroutines.cancellation.CancellationException
import lean.sdk.ffi.FfiConverterSequenceTypeNativeHeader
import lean.sdk.ffi.NativeHeader

/**
 * Drives a call of the core's engine through a [Transport]: sends each request it asks for,
 * waits when it says so, reports every answer or failure, until it ends. Retries, idempotency
 * keys and reconciliation are the engine's; this only moves bytes. Any client of the SDK
 * (each API has its own) starts its calls in the library and hands them to a runner.
 */
internal class CallRunner(
    private val transport: Transport,
    /** How long one attempt may take, from the client's configuration. */
    private val timeoutMillis: Long,
    /** How to wait between attempts; tests record the waits instead. */
    private val sleep: suspend (Long) -> Unit,
) {
    /**
     * Runs the call that [started] (the result of a `Jni.start...`) began, to its end, and
     * returns its result as [done] reads it; throws the call's error otherwise. The call is
     * released however this ends, cancellation included: a cancellation is rethrown with what
     * the call had sent attached ([interruptedCall]).
     */
    suspend fun <T> run(started: ByteArray, done: (ByteBuffer) -> T): T {
        var step = Jni.result(started)
        val call = step.getLong()
        try {
            while (true) {
                step = when (step.get()) {
                    SEND -> exchange(call, requests.read(step))
                    WAIT -> {
                        sleep(step.getLong())
                        Jni.result(Jni.poll(call))
                    }
                    else -> return done(step)
                }
            }
        } catch (e: CancellationException) {
            throw interrupted(e) { reason -> Jni.result(Jni.interrupt(call, reason.toByteArray(Charsets.UTF_8))) }
        } finally {
            Jni.release(call)
        }
    }

    /** Reads the requests of this runner's calls, which repeat most of their text. */
    private val requests = RequestReader()

    // Inline: one coroutine frame (and continuation object) fewer per call, which also
    // shortens the unwinding of whatever the transport throws (about 0.05 us a gig).
    private suspend inline fun exchange(call: Long, request: HttpRequest): ByteBuffer {
        val response = try {
            transport.send(request, timeoutMillis)
        } catch (e: TransportFailure) {
            val kind = when (e.kind) {
                TransportFailureKind.CONNECT -> 0
                TransportFailureKind.TIMEOUT -> 1
                TransportFailureKind.OTHER -> 2
            }
            return failed(call, kind, e)
        } catch (e: CancellationException) {
            throw e
        } catch (e: Exception) {
            // A custom transport's own exception: no answer arrived, and the core decides
            // whether that attempt may have been applied.
            return failed(call, 2, e)
        }
        val headers = FfiConverterSequenceTypeNativeHeader.encode(response.headers.map { (n, v) -> NativeHeader(n, v) })
        return Jni.result(Jni.received(call, response.status, headers, response.body))
    }

    private fun failed(call: Long, kind: Int, e: Exception): ByteBuffer {
        val message = (e.message ?: e.javaClass.simpleName).toByteArray(Charsets.UTF_8)
        return Jni.result(Jni.failed(call, kind, message))
    }

    internal companion object {
        private const val SEND: Byte = 0
        private const val WAIT: Byte = 1

        /** Reads a request without remembering its text (see [RequestReader]). */
        fun readRequest(buf: ByteBuffer): HttpRequest = RequestReader(slots = 0).read(buf)
    }
}

/**
 * Reads requests in the layout of uniffi's `NativeRequest` (which the library writes and a
 * test holds to the generated converter) straight into [HttpRequest]s: no intermediate
 * records, each string decoded from the step's own array.
 *
 * The requests of one client repeat most of their text: the method, the URL of the same
 * operation, the header names and values (`authorization`, `user-agent`, ...). So the
 * string read at each place (method, URL, each header name and value, by position) is kept
 * with its bytes, and when the next request has the same bytes there, the kept string is
 * returned instead of decoding a new one: comparing bytes is cheaper than building a
 * `String` (reading a gig's first step: 0.17 to 0.21 us decoding every string, 0.13 us
 * with the kept ones). Bodies are always decoded. Each runner (one per client) has its own,
 * so the kept `authorization` value lives no longer than the client that holds the key
 * anyway. Safe from any thread: each slot holds an immutable pair, replaced whole; a race
 * only costs a decode.
 */
internal class RequestReader(slots: Int = 16) {
    private class Kept(val bytes: ByteArray, val text: String)

    private val kept = arrayOfNulls<Kept>(slots)

    fun read(buf: ByteBuffer): HttpRequest {
        val method = buf.keptString(0)
        val url = buf.keptString(1)
        val count = buf.getInt()
        val headers = ArrayList<Pair<String, String>>(count)
        for (i in 0 until count) headers.add(buf.keptString(2 + 2 * i) to buf.keptString(3 + 2 * i))
        val body = if (buf.get() == 0.toByte()) null else buf.string()
        return HttpRequest(method, url, headers, body)
    }

    /** The string at [buf]'s position, the one kept in [slot] if its bytes are the same. */
    private fun ByteBuffer.keptString(slot: Int): String {
        if (slot >= kept.size) return string()
        val n = getInt()
        val array = array()
        val from = arrayOffset() + position()
        position(position() + n)
        val same = kept[slot]
        if (same != null && java.util.Arrays.equals(same.bytes, 0, same.bytes.size, array, from, from + n)) return same.text
        val text = String(array, from, n, Charsets.UTF_8)
        kept[slot] = Kept(array.copyOfRange(from, from + n), text)
        return text
    }

    private fun ByteBuffer.string(): String {
        val n = getInt()
        val text = String(array(), arrayOffset() + position(), n, Charsets.UTF_8)
        position(position() + n)
        return text
    }
}

/**
 * The cancellation [e] of a call, with what the call had sent attached ([interruptedCall]):
 * [interrupt] ends the call in the library with a reason and throws the error that reports
 * it. Every API's runner goes through here, so cancellation reads the same in each.
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
