package lean.sdk

import java.io.IOException
import java.net.ConnectException
import java.net.HttpURLConnection
import java.net.ProtocolException
import java.net.SocketTimeoutException
import java.net.URI
import java.net.UnknownHostException
import javax.net.ssl.HttpsURLConnection
import javax.net.ssl.SSLContext
import kotlinx.coroutines.Dispatchers

/**
 * The default [Transport], on `java.net.HttpURLConnection`: present on Android and every JVM,
 * so the SDK needs no HTTP library. Runs each exchange on [Dispatchers.IO]; cancelling the
 * coroutine interrupts it.
 *
 * @param sslContext the TLS setup of `https` connections, when the default one will not do:
 *   Lean's open-banking production hosts require the application's client certificate
 *   (mutual TLS); build it with `lean.sdk.openbanking.MtlsCredentials`.
 */
class HttpUrlConnectionTransport @JvmOverloads constructor(
    private val sslContext: SSLContext? = null,
) : Transport {
    override suspend fun send(request: HttpRequest, timeoutMillis: Long): HttpResponse =
        blockingIo { exchange(request, timeoutMillis) }

    private fun exchange(request: HttpRequest, timeoutMillis: Long): HttpResponse {
        val timeout = timeoutMillis.coerceIn(1, Int.MAX_VALUE.toLong()).toInt()
        val connection = try {
            URI(request.url).toURL().openConnection() as HttpURLConnection
        } catch (e: Exception) {
            throw TransportFailure(TransportFailureKind.CONNECT, "cannot open ${request.url}: ${e.message}", e)
        }
        try {
            if (!setMethod(connection, request.method)) {
                // The JVM's HttpURLConnection refuses PATCH (Android's accepts it).
                return JdkHttpClientExchange.send(request, timeout, sslContext)
            }
            if (sslContext != null && connection is HttpsURLConnection) {
                connection.sslSocketFactory = sslContext.socketFactory
            }
            connection.connectTimeout = timeout
            connection.readTimeout = timeout
            // A 3xx is an answer for the core (a `redirect` error): following it would send the
            // credentials to wherever it points.
            connection.instanceFollowRedirects = false
            connection.useCaches = false
            val body = request.body?.toByteArray(Charsets.UTF_8)
            connection.doOutput = body != null
            // Streamed, a body is never re-sent: the JDK silently sends a buffered POST again
            // when a kept-alive connection turns out stale after it was written, which could
            // apply a create twice behind the engine's back.
            if (body != null) connection.setFixedLengthStreamingMode(body.size)
            for ((name, value) in request.headers) connection.setRequestProperty(name, value)
            // The connection's timeouts bound each read, not the exchange: an answer that
            // trickles in a byte at a time would never end. The deadline closes it.
            val expired = java.util.concurrent.atomic.AtomicBoolean()
            val deadline = Deadlines.schedule({
                expired.set(true)
                connection.disconnect()
            }, timeout.toLong(), java.util.concurrent.TimeUnit.MILLISECONDS)
            try {
                connection.connect()
            } catch (e: IOException) {
                deadline.cancel(false)
                if (expired.get()) throw TransportFailure(TransportFailureKind.CONNECT, "cannot connect within $timeout ms", e)
                throw TransportFailure(TransportFailureKind.CONNECT, "cannot connect: ${describe(e)}", e)
            }
            try {
                body?.let { bytes -> connection.outputStream.use { it.write(bytes) } }
                val status = try {
                    connection.responseCode
                } catch (e: java.net.HttpRetryException) {
                    // In streaming mode the JDK reports a 401 this way instead of answering it;
                    // the body is gone, but the status is what the engine needs.
                    if (e.responseCode() != HttpURLConnection.HTTP_UNAUTHORIZED) throw e
                    return HttpResponse(e.responseCode(), emptyList(), ByteArray(0))
                }
                val headers = connection.headerFields.flatMap { (name, values) ->
                    if (name == null) emptyList() else values.map { name to it }
                }
                val stream = if (status >= 400) connection.errorStream else connection.inputStream
                val body = stream?.use { it.readBytes() } ?: ByteArray(0)
                // Closed at the deadline, the stream may just end early: the answer is cut.
                val declared = connection.contentLengthLong
                if (expired.get() && (declared < 0 || body.size < declared)) {
                    throw TransportFailure(TransportFailureKind.TIMEOUT, "no answer within $timeout ms")
                }
                return HttpResponse(status, headers, body)
            } catch (e: IOException) {
                if (e is SocketTimeoutException || expired.get()) {
                    throw TransportFailure(TransportFailureKind.TIMEOUT, "no answer within $timeout ms", e)
                }
                val kind = if (e is ConnectException || e is UnknownHostException) {
                    TransportFailureKind.CONNECT
                } else {
                    TransportFailureKind.OTHER
                }
                throw TransportFailure(kind, "the exchange failed: ${describe(e)}", e)
            } finally {
                deadline.cancel(false)
            }
        } finally {
            connection.disconnect()
        }
    }

    /**
     * The failure with its causes, and what a TLS failure usually means: a server that requires
     * mutual TLS refuses a connection without the client certificate (or with one it does not
     * trust) during or right after the handshake, which the JDK reports as a write error.
     */
    private fun describe(e: IOException): String {
        val causes = generateSequence<Throwable>(e) { it.cause }.take(5).toList()
        val text = causes.mapNotNull { it.message }.distinct().joinToString(": ")
        val tls = causes.any { it is javax.net.ssl.SSLException } ||
            (sslContext != null && causes.any { it.message?.contains("Error writing to server") == true })
        return if (tls) {
            "$text (TLS: the server refused the handshake; if it requires mutual TLS, pass the " +
                "client certificate Lean issued, e.g. MtlsCredentials.fromPem, and check it is the right one)"
        } else {
            text
        }
    }

    private fun setMethod(connection: HttpURLConnection, method: String): Boolean = try {
        connection.requestMethod = method
        true
    } catch (e: ProtocolException) {
        false
    }
}

/** One daemon thread that ends exchanges at their deadline. */
private object Deadlines {
    private val executor = java.util.concurrent.ScheduledThreadPoolExecutor(1) { task ->
        Thread(task, "lean-sdk-deadlines").apply { isDaemon = true }
    }.apply { removeOnCancelPolicy = true }

    fun schedule(task: () -> Unit, delay: Long, unit: java.util.concurrent.TimeUnit) =
        executor.schedule(task, delay, unit)
}

/**
 * The same exchange on `java.net.http.HttpClient`, for the methods the JVM's
 * `HttpURLConnection` refuses. In its own object so that Android, which lacks `java.net.http`
 * and never needs this path, never loads it.
 */
private object JdkHttpClientExchange {
    private val client by lazy { client(null) }

    private fun client(sslContext: SSLContext?): java.net.http.HttpClient =
        java.net.http.HttpClient.newBuilder()
            .followRedirects(java.net.http.HttpClient.Redirect.NEVER)
            .apply { if (sslContext != null) sslContext(sslContext) }
            .build()

    /** Headers the JDK client sets itself and refuses from callers. */
    private val restricted = setOf("connection", "content-length", "host", "expect", "upgrade")

    fun send(request: HttpRequest, timeout: Int, sslContext: SSLContext?): HttpResponse {
        val body = request.body?.let { java.net.http.HttpRequest.BodyPublishers.ofString(it) }
            ?: java.net.http.HttpRequest.BodyPublishers.noBody()
        val builder = java.net.http.HttpRequest.newBuilder(URI(request.url))
            .timeout(java.time.Duration.ofMillis(timeout.toLong()))
            .method(request.method, body)
        for ((name, value) in request.headers) {
            if (name.lowercase() !in restricted) builder.header(name, value)
        }
        val response = try {
            (if (sslContext == null) client else client(sslContext))
                .send(builder.build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray())
        } catch (e: java.net.http.HttpConnectTimeoutException) {
            throw TransportFailure(TransportFailureKind.CONNECT, "cannot connect: ${e.message}", e)
        } catch (e: java.net.http.HttpTimeoutException) {
            throw TransportFailure(TransportFailureKind.TIMEOUT, "no answer within $timeout ms", e)
        } catch (e: ConnectException) {
            throw TransportFailure(TransportFailureKind.CONNECT, "cannot connect: ${e.message}", e)
        } catch (e: IOException) {
            throw TransportFailure(TransportFailureKind.OTHER, "the exchange failed: ${e.message}", e)
        }
        val headers = response.headers().map().flatMap { (name, values) -> values.map { name to it } }
        return HttpResponse(response.statusCode(), headers, response.body())
    }
}
