package lean.sdk.openbanking

import java.io.File
import java.nio.file.Files
import java.util.concurrent.atomic.AtomicInteger
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import lean.sdk.ConfigurationException
import lean.sdk.HttpRequest
import lean.sdk.HttpResponse
import lean.sdk.Transport
import lean.sdk.UnauthorizedException
import lean.sdk.ValidationException
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/**
 * The client's own behaviour around the core: OAuth tokens fetched once for concurrent callers,
 * renewed by the client's clock, renewed and retried once after a 401; secrets never shown;
 * production without a certificate refused at construction; PEM keys read or refused clearly.
 */
class OpenBankingClientTest {
    private val secret = "client-secret-do-not-show"

    /** A token host and API: tokens `tok-1`, `tok-2`...; [refused] tokens get 401. */
    private class FakeLean(val refused: Set<String> = emptySet(), val tokenDelayMillis: Long = 0) : Transport {
        val tokenRequests = AtomicInteger()
        val apiCalls = mutableListOf<String>()

        override suspend fun send(request: HttpRequest, timeoutMillis: Long): HttpResponse {
            if (request.url.endsWith("/oauth2/token")) {
                delay(tokenDelayMillis)
                val n = tokenRequests.incrementAndGet()
                val body = """{"access_token":"tok-$n","token_type":"Bearer","expires_in":3600,"scope":"api"}"""
                return HttpResponse(200, emptyList(), body.toByteArray())
            }
            val token = request.headers.first { it.first == "authorization" }.second.removePrefix("Bearer ")
            synchronized(apiCalls) { apiCalls += token }
            if (token in refused) return HttpResponse(401, emptyList(), """{"status":"UNAUTHORIZED","message":"expired"}""".toByteArray())
            return HttpResponse(200, emptyList(), "[]".toByteArray())
        }
    }

    private val env = OpenBankingEnvironment.custom("http://127.0.0.1:9", tokenBaseUrl = "http://127.0.0.1:9")

    private fun client(transport: Transport, clock: () -> Long = System::currentTimeMillis) = OpenBankingClient(
        Auth.clientCredentials("app-id", secret), env, null, transport, 0, 1, {}, clock,
    )

    @Test
    fun concurrentCallersShareOneTokenFetch() = runBlocking<Unit>(Dispatchers.Default) {
        val lean = FakeLean(tokenDelayMillis = 100)
        val client = client(lean)
        (1..20).map { async { client.listPaymentDestinations() } }.awaitAll()
        assertEquals(1, lean.tokenRequests.get())
        assertEquals(List(20) { "tok-1" }, lean.apiCalls)
    }

    @Test
    fun tokensAreRenewedBeforeExpiryByTheClientsClock() = runBlocking<Unit> {
        val lean = FakeLean()
        var now = 1_700_000_000_000L
        val client = client(lean) { now }
        client.listPaymentDestinations()
        now += 3_500_000 // 100 s before expiry: still outside the 60 s margin
        client.listPaymentDestinations()
        assertEquals(1, lean.tokenRequests.get())
        now += 50_000 // 50 s before expiry: renewed
        client.listPaymentDestinations()
        assertEquals(2, lean.tokenRequests.get())
        assertEquals(listOf("tok-1", "tok-1", "tok-2"), lean.apiCalls)
    }

    @Test
    fun a401RenewsTheTokenAndRetriesOnce() = runBlocking<Unit> {
        val lean = FakeLean(refused = setOf("tok-1"))
        client(lean).listPaymentDestinations()
        assertEquals(listOf("tok-1", "tok-2"), lean.apiCalls)

        val always = FakeLean(refused = setOf("tok-1", "tok-2", "tok-3"))
        val e = assertThrows<UnauthorizedException> { runBlocking { client(always).listPaymentDestinations() } }
        assertEquals(listOf("tok-1", "tok-2"), always.apiCalls, "retried once, not more")
        assertEquals("UNAUTHORIZED", e.apiCode)
    }

    @Test
    fun anAppTokenIsNeverRetriedAfterA401() = runBlocking<Unit> {
        var calls = 0
        val transport = Transport { _, _ ->
            calls++
            HttpResponse(401, emptyList(), """{"status":"UNAUTHORIZED","message":"no"}""".toByteArray())
        }
        val client = OpenBankingClient(Auth.appToken("app-token-secret"), transport = transport, maxRetries = 0)
        assertThrows<UnauthorizedException> { runBlocking { client.listPaymentDestinations() } }
        assertEquals(1, calls)
    }

    @Test
    fun secretsNeverShow() {
        val auth = Auth.clientCredentials("app-id", secret)
        val appToken = Auth.appToken("app-token-secret")
        val client = client(FakeLean())
        val request = (auth as Auth.ClientCredentials).tokenRequest(env)
        assertTrue(request.body!!.contains(secret), "the body carries it to the token host")
        for (shown in listOf(auth.toString(), appToken.toString(), client.toString(), request.toString())) {
            assertFalse(shown.contains(secret) || shown.contains("app-token-secret"), shown)
        }
        // A refused token request: the error shows neither the secret nor the body sent.
        val refusing = Transport { _, _ ->
            HttpResponse(401, emptyList(), """{"status":"UNAUTHORIZED","message":"bad client"}""".toByteArray())
        }
        val e = assertThrows<UnauthorizedException> { runBlocking { client(refusing).listPaymentDestinations() } }
        assertFalse("${e.message} ${e.body} $e".contains(secret))
        // Invalid input is refused before any token is fetched.
        val lean = FakeLean()
        assertThrows<ValidationException> { runBlocking { client(lean).createCustomer(NewCustomer("")) } }
        assertEquals(0, lean.tokenRequests.get())
    }

    @Test
    fun productionWithoutACertificateFailsAtConstruction() {
        for (env in listOf(OpenBankingEnvironment.UAE_PRODUCTION, OpenBankingEnvironment.KSA_PRODUCTION, OpenBankingEnvironment.UAE_SANDBOX_MTLS)) {
            val e = assertThrows<ConfigurationException> { OpenBankingClient(Auth.appToken("t"), env) }
            assertTrue(e.message!!.contains("MtlsCredentials.fromPem"), e.message)
        }
        // Sandboxes need none; a transport of the caller's own is trusted to present one.
        OpenBankingClient(Auth.appToken("t"), OpenBankingEnvironment.KSA_SANDBOX)
        OpenBankingClient(Auth.appToken("t"), OpenBankingEnvironment.UAE_PRODUCTION, transport = FakeLean())
        // OAuth where the token host is unknown is refused at construction too.
        val e = assertThrows<ConfigurationException> { OpenBankingClient(Auth.clientCredentials("a", "b")) }
        assertTrue(e.message!!.contains("with_token_base_url") || e.message!!.contains("token"), e.message)
    }

    /** A fresh key pair and self-signed certificate from the JDK's keytool, as PKCS#8 and PEM. */
    private fun keyAndCertificate(dir: File, algorithm: String): Pair<String, String> {
        val store = File(dir, "$algorithm-${System.nanoTime()}.p12")
        val size = if (algorithm == "RSA") listOf("-keysize", "2048") else listOf("-groupname", "secp256r1")
        val keytool = File(System.getProperty("java.home"), "bin/keytool").path
        val command = listOf(keytool, "-genkeypair", "-alias", "k", "-keyalg", algorithm) + size + listOf(
            "-dname", "CN=lean-test", "-validity", "1", "-storetype", "PKCS12", "-keystore", store.path,
            "-storepass", "changeit", "-keypass", "changeit",
        )
        val process = ProcessBuilder(command).redirectErrorStream(true).start()
        val output = process.inputStream.bufferedReader().readText()
        assertEquals(0, process.waitFor(), output)
        val keys = java.security.KeyStore.getInstance("PKCS12").apply { store.inputStream().use { load(it, "changeit".toCharArray()) } }
        fun pem(kind: String, der: ByteArray) =
            "-----BEGIN $kind-----\n" + java.util.Base64.getMimeEncoder(64, "\n".toByteArray()).encodeToString(der) + "\n-----END $kind-----\n"
        val key = keys.getKey("k", "changeit".toCharArray())
        assertEquals("PKCS#8", key.format)
        return pem("PRIVATE KEY", key.encoded) to pem("CERTIFICATE", keys.getCertificate("k").encoded)
    }

    @Test
    fun pemKeysAreReadOrRefusedClearly() {
        val dir = Files.createTempDirectory("lean-pem").toFile()
        try {
            for (algorithm in listOf("RSA", "EC")) {
                val (key, cert) = keyAndCertificate(dir, algorithm)
                val credentials = MtlsCredentials.fromPem(cert, key, cert)
                assertEquals("TLS", credentials.sslContext.protocol)
                assertThrows<ConfigurationException> {
                    OpenBankingClient(Auth.appToken("t"), OpenBankingEnvironment.UAE_PRODUCTION, credentials, FakeLean())
                }
                assertFalse(credentials.toString().contains("PRIVATE"))
            }
            val (key, cert) = keyAndCertificate(dir, "EC")
            val legacy = assertThrows<ConfigurationException> {
                MtlsCredentials.fromPem(cert, "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEI\n-----END EC PRIVATE KEY-----")
            }
            assertTrue(legacy.message!!.contains("PKCS#8"), legacy.message)
            val body = key.lines()[1]
            val garbled = key.replace(body, "A".repeat(body.length))
            val bad = assertThrows<ConfigurationException> { MtlsCredentials.fromPem(cert, garbled) }
            assertFalse(bad.message!!.contains(body), "the key is never quoted")
            assertThrows<ConfigurationException> { MtlsCredentials.fromPem("not a certificate", key) }
        } finally {
            dir.deleteRecursively()
        }
    }

    @Test
    fun webhookReceiversAnswer200OnlyToVerifiedBodies() {
        val body = """{"type":"results.ready","payload":{"id":"r-1"},"event_id":"e-1"}""".toByteArray()
        val verifier = OpenBankingWebhooks.verifier("old-secret", "new-secret") // during a rotation
        val received = mutableListOf<OpenBankingEvent>()
        assertEquals(200, verifier.receive(body, OpenBankingWebhooks.sign("new-secret", body)) { received += it })
        assertEquals(200, verifier.receive(body, OpenBankingWebhooks.sign("old-secret", body)) { received += it })
        assertEquals(401, verifier.receive(body, OpenBankingWebhooks.sign("other", body)) { received += it })
        assertEquals(listOf("r-1", "r-1"), received.map { it.resultsId })
        assertEquals(listOf("e-1", "e-1"), received.map { it.eventId }, "the same event_id: de-duplicate on it")
        assertEquals(listOf(1L, 2L, 5L, 10L, 60L, 180L), OpenBankingWebhooks.RETRY_MINUTES)
        assertFalse(verifier.toString().contains("new-secret"))
    }
}
