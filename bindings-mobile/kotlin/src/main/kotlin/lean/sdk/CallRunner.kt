package lean.sdk

import java.nio.ByteBuffer
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
     * released however this ends, cancellation included.
     */
    suspend fun <T> run(started: ByteArray, done: (ByteBuffer) -> T): T {
        var step = Jni.result(started)
        val call = step.getLong()
        try {
            while (true) {
                step = when (step.get()) {
                    SEND -> exchange(call, readRequest(step))
                    WAIT -> {
                        sleep(step.getLong())
                        Jni.result(Jni.poll(call))
                    }
                    else -> return done(step)
                }
            }
        } finally {
            Jni.release(call)
        }
    }

    private suspend fun exchange(call: Long, request: HttpRequest): ByteBuffer {
        val response = try {
            transport.send(request, timeoutMillis)
        } catch (e: TransportFailure) {
            val kind = when (e.kind) {
                TransportFailureKind.CONNECT -> 0
                TransportFailureKind.TIMEOUT -> 1
                TransportFailureKind.OTHER -> 2
            }
            return failed(call, kind, e)
        } catch (e: java.io.IOException) {
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

        /**
         * Reads a request in the layout of uniffi's `NativeRequest` (which the library writes
         * and a test holds to the generated converter) straight into an [HttpRequest]: no
         * intermediate records, each string decoded once from the result's own array.
         */
        fun readRequest(buf: ByteBuffer): HttpRequest {
            val method = buf.string()
            val url = buf.string()
            val count = buf.getInt()
            val headers = ArrayList<Pair<String, String>>(count)
            repeat(count) { headers.add(buf.string() to buf.string()) }
            val body = if (buf.get() == 0.toByte()) null else buf.string()
            return HttpRequest(method, url, headers, body)
        }

        private fun ByteBuffer.string(): String {
            val n = getInt()
            val text = String(array(), arrayOffset() + position(), n, Charsets.UTF_8)
            position(position() + n)
            return text
        }
    }
}
