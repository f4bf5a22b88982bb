package lean.sdk

import kotlinx.coroutines.future.await

/**
 * Header names and values, as a list; its `toString()` shows the names only, because values
 * carry credentials (`authorization`, `lean-app-token`, `set-cookie`), so logging a request's
 * or an answer's headers never leaks one.
 */
class Headers(entries: List<Pair<String, String>>) : List<Pair<String, String>> by entries {
    override fun toString() = joinToString(", ", "Headers(", ")") { "${it.first}=<redacted>" }
    override fun equals(other: Any?) = other is List<*> && other.size == size && other.indices.all { other[it] == this[it] }
    override fun hashCode() = fold(1) { h, e -> 31 * h + e.hashCode() }
}

/** A request the SDK built, for a [Transport] to send exactly as given. */
class HttpRequest(
    /** `GET`, `POST` or `PATCH`. */
    val method: String,
    /** The absolute URL, already percent-encoded. */
    val url: String,
    headers: List<Pair<String, String>>,
    /** The JSON body of `POST` and `PATCH`. */
    val body: String?,
) {
    /** Header names (lower case) and values, `authorization` included; printed without values. */
    val headers: List<Pair<String, String>> = headers as? Headers ?: Headers(headers)

    /** Never shows the headers: they carry the API key. */
    override fun toString() = "HttpRequest($method $url)"
}

/** The answer a [Transport] received, handed back as is; the SDK interprets it. */
class HttpResponse(
    /** The status code. */
    val status: Int,
    headers: List<Pair<String, String>>,
    /** The raw body. */
    val body: ByteArray,
) {
    init {
        // A status outside 100-599 is the core's to handle (like a server error); one
        // outside 0-65535 cannot be carried to it at all.
        require(status in 0..65535) { "HttpResponse status must be a number from 0 to 65535, got $status" }
    }

    /** Header names and values as received; printed without values (`set-cookie`). */
    val headers: List<Pair<String, String>> = headers as? Headers ?: Headers(headers)

    override fun toString() = "HttpResponse($status, ${body.size} bytes)"
}

/**
 * Sends one request. The SDK decides retries, waits and idempotency; a transport only
 * performs one exchange. Return any HTTP answer (errors included) as an [HttpResponse];
 * throw [TransportFailure] when no answer arrived, saying whether the request may have
 * reached the server. OkHttp or Ktor users implement this in a few lines.
 */
fun interface Transport {
    /** Sends [request], giving up after [timeoutMillis]. */
    suspend fun send(request: HttpRequest, timeoutMillis: Long): HttpResponse

    /** Transports written in Java, which cannot implement a `suspend` function. */
    companion object {
        /**
         * A transport from a blocking exchange (OkHttp's `execute()`, `java.net.http`'s
         * `send`), run on `Dispatchers.IO`; a cancelled call interrupts its thread.
         */
        @JvmStatic
        fun blocking(exchange: BlockingExchange): Transport =
            Transport { request, timeoutMillis -> blockingIo { exchange.send(request, timeoutMillis) } }

        /**
         * A transport from an asynchronous exchange (`java.net.http`'s `sendAsync`); a
         * cancelled call cancels its future.
         */
        @JvmStatic
        fun async(exchange: AsyncExchange): Transport =
            Transport { request, timeoutMillis -> exchange.send(request, timeoutMillis).await() }
    }

    /** One exchange that blocks until the answer arrives: see [Transport.blocking]. */
    fun interface BlockingExchange {
        /** Sends [request], giving up after [timeoutMillis]; throws [TransportFailure] without an answer. */
        @Throws(Exception::class)
        fun send(request: HttpRequest, timeoutMillis: Long): HttpResponse
    }

    /** One exchange answered by a future: see [Transport.async]. */
    fun interface AsyncExchange {
        /** Sends [request], giving up after [timeoutMillis]; fails with [TransportFailure] without an answer. */
        fun send(request: HttpRequest, timeoutMillis: Long): java.util.concurrent.CompletionStage<HttpResponse>
    }
}

/** Why an exchange produced no HTTP answer: it decides whether a retry is safe. */
enum class TransportFailureKind {
    /** The connection could not be opened: nothing reached the API. */
    CONNECT,
    /** No answer in time: the API may have applied the request. */
    TIMEOUT,
    /** Anything else (reset, broken body): the API may have applied it. */
    OTHER,
}

/** Thrown by a [Transport] when no HTTP answer arrived. */
class TransportFailure(val kind: TransportFailureKind, message: String, cause: Throwable? = null) :
    Exception(message, cause)
