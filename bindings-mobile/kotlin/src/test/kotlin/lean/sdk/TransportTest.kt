package lean.sdk

import com.sun.net.httpserver.HttpServer
import java.net.InetSocketAddress
import java.net.ServerSocket
import java.util.concurrent.atomic.AtomicInteger
import kotlin.concurrent.thread
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/**
 * The default transport against small local servers that misbehave: it never follows a
 * redirect (the credentials stay on the configured origin) and never sends a POST twice.
 */
class TransportTest {
    private val secret = "sk_test_redirect_secret"

    private fun post(url: String) = HttpRequest(
        "POST", url, listOf("authorization" to "Basic $secret", "content-type" to "application/json"), """{"gigId":"g1"}""",
    )

    /** A server on another port that counts what reached it, and whether credentials did. */
    private class Other : AutoCloseable {
        val requests = AtomicInteger()
        val credentials = AtomicInteger()
        val server: HttpServer = HttpServer.create(InetSocketAddress("127.0.0.1", 0), 0).apply {
            createContext("/") { exchange ->
                requests.incrementAndGet()
                if (exchange.requestHeaders.containsKey("authorization")) credentials.incrementAndGet()
                exchange.sendResponseHeaders(200, -1)
                exchange.close()
            }
            start()
        }
        val url get() = "http://127.0.0.1:${server.address.port}"
        override fun close() = server.stop(0)
    }

    private fun redirecting(to: String, status: Int = 307): HttpServer =
        HttpServer.create(InetSocketAddress("127.0.0.1", 0), 0).apply {
            createContext("/") { exchange ->
                exchange.requestBody.readBytes()
                exchange.responseHeaders.add("location", "$to/steal")
                exchange.sendResponseHeaders(status, -1)
                exchange.close()
            }
            start()
        }

    @Test
    fun `a redirect to another port comes back as the answer and is never followed`() = runBlocking {
        Other().use { other ->
            for (status in listOf(301, 302, 303, 307, 308)) {
                val main = redirecting(other.url, status)
                try {
                    val response = HttpUrlConnectionTransport().send(post("http://127.0.0.1:${main.address.port}/api/gig"), 2_000)
                    assertEquals(status, response.status)
                    assertEquals("${other.url}/steal", response.headers.first { it.first.equals("location", true) }.second)
                } finally {
                    main.stop(0)
                }
            }
            assertEquals(0, other.requests.get(), "a redirect was followed")
            assertEquals(0, other.credentials.get())
        }
    }

    @Test
    fun `a client answered with a redirect reports it and sends nothing to the other origin`() {
        Other().use { other ->
            val main = redirecting(other.url)
            try {
                val client = LeanClient(secret, baseUrl = "http://127.0.0.1:${main.address.port}/api", maxRetries = 0)
                val e = assertThrows<LeanException> { runBlocking { client.getGig("g1") } }
                assertTrue(e.message!!.isNotEmpty())
                assertTrue(!e.toString().contains(secret), e.toString())
                assertEquals(0, other.requests.get(), "a redirect was followed")
            } finally {
                main.stop(0)
            }
        }
    }

    @Test
    fun `a POST whose connection closes after it was read is sent exactly once`() {
        val requests = AtomicInteger()
        ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress()).use { server ->
            val acceptor = thread(isDaemon = true) {
                while (!server.isClosed) {
                    val socket = try { server.accept() } catch (e: java.io.IOException) { break }
                    socket.use { readRequest(it.getInputStream()); requests.incrementAndGet() }
                }
            }
            val failure = assertThrows<TransportFailure> {
                runBlocking { HttpUrlConnectionTransport().send(post("http://127.0.0.1:${server.localPort}/api/gig"), 2_000) }
            }
            assertEquals(TransportFailureKind.OTHER, failure.kind, failure.message)
            server.close()
            acceptor.join(2_000)
        }
        assertEquals(1, requests.get(), "the POST was sent again on a new connection")
    }

    @Test
    fun `a 401 to a POST comes back as an answer`() = runBlocking {
        val main = HttpServer.create(InetSocketAddress("127.0.0.1", 0), 0).apply {
            createContext("/") { exchange ->
                exchange.requestBody.readBytes()
                exchange.responseHeaders.add("www-authenticate", "Basic realm=\"lean\"")
                val body = """{"message":"bad key"}""".toByteArray()
                exchange.sendResponseHeaders(401, body.size.toLong())
                exchange.responseBody.use { it.write(body) }
            }
            start()
        }
        try {
            val response = HttpUrlConnectionTransport().send(post("http://127.0.0.1:${main.address.port}/api/gig"), 2_000)
            assertEquals(401, response.status)
        } finally {
            main.stop(0)
        }
    }

    @Test
    fun `an answer that trickles in ends at the exchange's deadline`() {
        ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress()).use { server ->
            thread(isDaemon = true) {
                try {
                    server.accept().use { socket ->
                        readRequest(socket.getInputStream())
                        val out = socket.getOutputStream()
                        out.write("HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n".toByteArray())
                        repeat(100) {
                            out.write('x'.code)
                            out.flush()
                            Thread.sleep(100)
                        }
                    }
                } catch (e: java.io.IOException) {
                    // The client gave up and closed the connection.
                }
            }
            val failure = assertThrows<TransportFailure> {
                runBlocking {
                    HttpUrlConnectionTransport().send(HttpRequest("GET", "http://127.0.0.1:${server.localPort}/api/gig/g1", emptyList(), null), 500)
                }
            }
            assertEquals(TransportFailureKind.TIMEOUT, failure.kind, failure.message)
        }
    }

    /** Reads one HTTP/1.1 request with a `Content-Length` body. */
    private fun readRequest(input: java.io.InputStream) {
        val head = StringBuilder()
        while (!head.endsWith("\r\n\r\n")) {
            val b = input.read()
            if (b < 0) return
            head.append(b.toChar())
        }
        val length = Regex("(?i)content-length: *(\\d+)").find(head)?.groupValues?.get(1)?.toInt() ?: 0
        input.readNBytes(length)
    }
}
