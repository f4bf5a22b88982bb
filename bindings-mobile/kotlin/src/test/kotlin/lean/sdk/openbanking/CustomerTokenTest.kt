package lean.sdk.openbanking

import kotlinx.coroutines.runBlocking
import lean.sdk.ConfigurationException
import lean.sdk.HttpRequest
import lean.sdk.HttpResponse
import lean.sdk.InvalidResponseException
import lean.sdk.Transport
import lean.sdk.TransportException
import lean.sdk.TransportFailure
import lean.sdk.TransportFailureKind
import lean.sdk.UnauthorizedException
import lean.sdk.ValidationException
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/**
 * `customerToken`, the backend half of the Link SDK flow, over a scripted token host: the
 * request the core builds, the token and expiry it reads back, errors, the token kept out of
 * `toString()`, and a client without client credentials refused.
 */
class CustomerTokenTest {
    private val secret = "client-secret-do-not-show"
    private val deviceToken = "device-token-for-the-app"
    private val now = 1_700_000_000_000L
    private val env = OpenBankingEnvironment.custom("http://127.0.0.1:9", tokenBaseUrl = "http://127.0.0.1:9")

    /** Answers customer-scoped token requests with [reply]; the client's own tokens are `own-N`. */
    private class FakeLean(val reply: (HttpRequest) -> HttpResponse) : Transport {
        val sent = mutableListOf<HttpRequest>()
        private var own = 0

        override suspend fun send(request: HttpRequest, timeoutMillis: Long): HttpResponse {
            sent += request
            val body = request.body ?: ""
            if (!request.url.endsWith("/oauth2/token")) return HttpResponse(200, emptyList(), "[]".toByteArray())
            if (body.contains("scope=customer.")) return reply(request)
            own += 1
            return json(200, """{"access_token":"own-$own","token_type":"Bearer","expires_in":3600,"scope":"api"}""")
        }
    }

    private val issued: (HttpRequest) -> HttpResponse = {
        json(200, """{"access_token":"$deviceToken","token_type":"Bearer","expires_in":900,"scope":"customer.c-42"}""")
    }

    private fun client(transport: Transport, auth: Auth = Auth.clientCredentials("app-id", secret)) =
        OpenBankingClient(auth, env, null, transport, 0, 1, {}, { now })

    @Test
    fun sendsTheCoresCustomerScopedRequestAndReadsTokenAndExpiry() = runBlocking<Unit> {
        val lean = FakeLean(issued)
        val token = client(lean).customerToken("c-42")
        val request = lean.sent.single()
        assertEquals("POST", request.method)
        assertEquals("http://127.0.0.1:9/oauth2/token", request.url)
        assertTrue(request.headers.contains("content-type" to "application/x-www-form-urlencoded"))
        assertEquals("client_id=app-id&client_secret=$secret&grant_type=client_credentials&scope=customer.c-42", request.body)
        assertEquals(deviceToken, token.accessToken)
        assertEquals(now + 900_000, token.expiresAtMillis)
        assertEquals("customer.c-42", token.scope)
    }

    @Test
    fun theClientsOwnTokenIsNotTouched() = runBlocking<Unit> {
        val lean = FakeLean(issued)
        val client = client(lean)
        client.listPaymentDestinations()
        client.customerToken("c-42")
        client.listPaymentDestinations()
        val bearers = lean.sent.filter { !it.url.endsWith("/oauth2/token") }
            .map { r -> r.headers.first { it.first == "authorization" }.second }
        assertEquals(listOf("Bearer own-1", "Bearer own-1"), bearers)
    }

    @Test
    fun theTokenNeverShowsInToString() = runBlocking<Unit> {
        val token = client(FakeLean(issued)).customerToken("c-42")
        assertFalse(token.toString().contains(deviceToken), token.toString())
        assertTrue(token.toString().contains("<redacted>"))
        assertFalse("$token ${listOf(token)} ${mapOf("t" to token)}".contains(deviceToken))
    }

    @Test
    fun aRefusalIsTheApiErrorWithoutTheSecret() {
        val lean = FakeLean { json(401, """{"error":"invalid_client","error_description":"bad secret"}""") }
        val e = assertThrows<UnauthorizedException> { runBlocking { client(lean).customerToken("c-42") } }
        assertEquals(401, e.status)
        assertEquals(1, lean.sent.size, "not retried")
        assertFalse("${e.message} ${e.body} $e".contains(secret))
    }

    @Test
    fun anAnswerWithoutExpiryIsAnInvalidResponseThatHidesTheToken() {
        val lean = FakeLean { json(200, """{"access_token":"$deviceToken","token_type":"Bearer"}""") }
        val e = assertThrows<InvalidResponseException> { runBlocking { client(lean).customerToken("c-42") } }
        assertFalse("${e.message} ${e.body}".contains(deviceToken))
    }

    @Test
    fun aTransportFailureIsATransportErrorSentOnce() {
        var sent = 0
        val down = Transport { _, _ ->
            sent += 1
            throw TransportFailure(TransportFailureKind.CONNECT, "connection refused")
        }
        val e = assertThrows<TransportException> { runBlocking { client(down).customerToken("c-42") } }
        assertEquals(1, sent, "no retry")
        assertFalse(e.outcomeUnknown)
        assertTrue(e.message!!.contains("OAuth token request to http://127.0.0.1:9/oauth2/token failed: connection refused"), e.message)
        assertFalse(e.message!!.contains(secret))
    }

    @Test
    fun aBadCustomerIdIsRefusedBeforeSending() {
        val lean = FakeLean(issued)
        assertThrows<ValidationException> { runBlocking { client(lean).customerToken(" ") } }
        assertTrue(lean.sent.isEmpty())
    }

    @Test
    fun aClientWithoutClientCredentialsIsRefused() {
        for (auth in listOf(Auth.appToken("app-token"), Auth.accessToken("some-token"))) {
            val lean = FakeLean(issued)
            val e = assertThrows<ConfigurationException> { runBlocking { client(lean, auth).customerToken("c-42") } }
            assertTrue(e.message!!.contains("customerToken needs OAuth client credentials"), e.message)
            assertTrue(lean.sent.isEmpty())
        }
    }

    private companion object {
        fun json(status: Int, body: String) = HttpResponse(status, emptyList(), body.toByteArray())
    }
}
