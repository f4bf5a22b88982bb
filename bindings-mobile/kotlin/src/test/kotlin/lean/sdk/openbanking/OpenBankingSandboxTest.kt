package lean.sdk.openbanking

import com.sun.net.httpserver.HttpServer
import java.io.File
import java.math.BigDecimal
import java.net.InetSocketAddress
import java.nio.file.Files
import java.security.KeyStore
import java.security.cert.CertificateFactory
import java.util.UUID
import java.util.concurrent.LinkedBlockingQueue
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger
import javax.net.ssl.SSLContext
import javax.net.ssl.TrustManagerFactory
import kotlinx.coroutines.runBlocking
import lean.sdk.HttpUrlConnectionTransport
import lean.sdk.NotFoundException
import lean.sdk.OtherApiException
import lean.sdk.Transport
import lean.sdk.TransportException
import lean.sdk.UnauthorizedException
import lean.sdk.postJson
import lean.sdk.startSandbox
import org.json.JSONObject
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.assertThrows

/**
 * Open banking end to end against the local sandbox (loopback only), over the default
 * HttpURLConnection transport: the whole flow over plain HTTP with `results.ready` received
 * and verified, OAuth with renewal, and the mTLS listener with the right, no, and an untrusted
 * client certificate. The binary comes from the `lean.sandbox` system property.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenBankingSandboxTest {
    private val appToken = "sandbox-app-token"
    private val webhookSecret = "sandbox-webhook-secret"
    private lateinit var sandbox: Process
    private lateinit var receiver: HttpServer
    private lateinit var url: String
    private lateinit var mtlsUrl: String
    private lateinit var certs: File
    private val webhooks = LinkedBlockingQueue<Pair<ByteArray, String?>>()
    private val verifier = OpenBankingWebhooks.verifier(webhookSecret)

    @BeforeAll
    fun start() {
        certs = Files.createTempDirectory("lean-ob-certs").toFile()
        receiver = HttpServer.create(InetSocketAddress("127.0.0.1", 0), 0).apply {
            createContext("/ob-hooks") { exchange ->
                val body = exchange.requestBody.readBytes()
                val signature = exchange.requestHeaders.getFirst(OpenBankingWebhooks.SIGNATURE_HEADER)
                val status = verifier.receive(body, signature) { webhooks.put(body to signature) }
                exchange.sendResponseHeaders(status, -1)
                exchange.close()
            }
            start()
        }
        sandbox = startSandbox(
            "serve", "--port", "0", "--api-key", "unused-payouts-key", "--quiet",
            "--tls-port", "0", "--tls-dir", certs.path, "--ob-results-delay", "200ms", "--ob-token-ttl", "2",
        )
        val lines = sandbox.inputStream.bufferedReader()
        url = (lines.readLine() ?: error("the sandbox did not start")).removePrefix("listening on ")
        mtlsUrl = (lines.readLine() ?: error("no mTLS line")).removePrefix("listening (mTLS) on ")
        assertTrue(url.startsWith("http://127.0.0.1:"), url)
        assertTrue(mtlsUrl.startsWith("https://127.0.0.1:"), mtlsUrl)
        admin("/_sandbox/webhooks", """{"url": "http://127.0.0.1:${receiver.address.port}/ob-hooks", "product": "openbanking"}""")
    }

    @AfterAll
    fun stop() {
        if (::sandbox.isInitialized) sandbox.destroy()
        if (::receiver.isInitialized) receiver.stop(0)
        if (::certs.isInitialized) certs.deleteRecursively()
    }

    private fun admin(path: String, body: String): JSONObject {
        val (status, text) = postJson("$url$path", body)
        assertEquals(200, status, "$path: $text")
        return JSONObject(text)
    }

    /** Waits for the verified webhook of [type] whose payload names [id]. */
    private fun awaitEvent(type: String, id: String): OpenBankingEvent {
        val deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20)
        while (System.nanoTime() < deadline) {
            val (body, signature) = webhooks.poll(200, TimeUnit.MILLISECONDS) ?: continue
            val event = verifier.constructEvent(body, signature)
            if (event.type == type && event.payloadJson.contains(id)) return event
        }
        error("no $type webhook for $id")
    }

    private val plain get() = OpenBankingEnvironment.custom(url, tokenBaseUrl = url)

    @Test
    fun theWholeFlowOverPlainHttp() = runBlocking<Unit> {
        val lean = OpenBankingClient(Auth.appToken(appToken), plain)
        val appUserId = "user-${UUID.randomUUID()}"
        val customer = lean.createCustomer(NewCustomer(appUserId))
        assertEquals(appUserId, customer.appUserId)
        // Created again (a retry after a crash, say): the 409 is resolved to the same customer.
        assertEquals(customer.customerId, lean.createCustomer(NewCustomer(appUserId)).customerId)
        assertEquals(customer, lean.getCustomer(customer.customerId))
        assertEquals(customer.customerId, lean.getCustomerByAppUserId(appUserId).customerId)
        assertTrue(lean.listCustomers(pageNumber = 0, pageSize = 100).customers.any { it.customerId == customer.customerId })

        // The customer connects a bank (the Link SDK's part, done by the sandbox's admin route).
        val connected = admin("/_sandbox/openbanking/customers/${customer.customerId}/entities", "{}")
        val entityId = connected.getString("id")
        awaitEvent("entity.created", entityId)
        assertEquals(listOf(entityId), lean.listEntities(customer.customerId).map { it.id })
        assertEquals(customer.customerId, lean.getEntity(customer.customerId, entityId).customerId)

        assertEquals("OK", lean.getIdentity(entityId).status)
        val accounts = JSONObject(lean.getAccounts(entityId).payloadJson!!).toString()
        val accountId = connected.getJSONArray("accounts").getJSONObject(0).getString("account_id")
        assertTrue(accounts.contains(accountId), accounts)

        // Asynchronous data: PENDING now, results.ready later, then the results.
        val pending = lean.getBalance(entityId, accountId, async = true)
        assertTrue(pending.isPending, pending.json)
        val resultsId = pending.resultsId ?: error("no results_id in ${pending.json}")
        val ready = awaitEvent("results.ready", resultsId)
        assertEquals(resultsId, ready.resultsId)
        assertNotNull(ready.eventId)
        val balance = lean.getDataResults(resultsId)
        assertEquals("OK", balance.status)
        assertTrue(balance.payloadJson!!.contains("12450.75"), balance.payloadJson)
        assertEquals("OK", lean.getTransactions(entityId, accountId).status)

        // A bank failure is an error carrying the API's code, never a result.
        val failed = assertThrows<OtherApiException> { runBlocking { lean.getBalance(entityId, "sandbox-fail-1") } }
        assertEquals("FAILED", failed.apiCode)

        val destination = lean.createPaymentDestination(
            NewDestination("Main account", "Lean Test LLC", "LEANMB1", "AE070331234567890123456"),
        )
        val destinationId = destination.id ?: error("no id in ${destination.json}")
        assertTrue(lean.listPaymentDestinations().any { it.id == destinationId })
        val intent = lean.createPaymentIntent(
            NewPaymentIntent(customer.customerId, BigDecimal("100.50"), "aed", "Order 42", destinationId),
        )
        assertEquals(BigDecimal("100.50"), intent.amount)
        assertEquals("AED", intent.currency)
        assertEquals(intent.paymentIntentId, lean.getPaymentIntent(intent.paymentIntentId).paymentIntentId)
    }

    /** A new customer with one connected bank: the customer, the entity id and its first account id. */
    private suspend fun connectedEntity(lean: OpenBankingClient, prefix: String): Triple<Customer, String, String> {
        val customer = lean.createCustomer(NewCustomer("$prefix-${UUID.randomUUID()}"))
        val connected = admin("/_sandbox/openbanking/customers/${customer.customerId}/entities", "{}")
        val accountId = connected.getJSONArray("accounts").getJSONObject(0).getString("account_id")
        return Triple(customer, connected.getString("id"), accountId)
    }

    @Test
    fun storedDataIsReadPageByPage() = runBlocking<Unit> {
        val lean = OpenBankingClient(Auth.appToken(appToken), plain)
        val (_, entityId, accountId) = connectedEntity(lean, "kt-v2")
        val accounts = lean.listAccounts(entityId)
        assertEquals("OK", accounts.status)
        assertTrue(accounts.recordsJson.any { JSONObject(it).optString("account_id") == accountId }, accounts.json)
        assertTrue(JSONObject(accounts.json).has("page"), accounts.json)
        assertTrue(lean.listIdentities(entityId).recordsJson.isNotEmpty())

        val reads: List<suspend (Int?, Int?) -> DataPage> = listOf(
            { n, s -> lean.listAccountBalances(entityId, accountId, n, s) },
            { n, s -> lean.listAccountTransactions(entityId, accountId, n, s) },
            { n, s -> lean.listAccountIdentities(entityId, accountId, n, s) },
            { n, s -> lean.listAccountBeneficiaries(entityId, accountId, n, s) },
            { n, s -> lean.listAccountDirectDebits(entityId, accountId, n, s) },
            { n, s -> lean.listAccountStandingOrders(entityId, accountId, n, s) },
            { n, s -> lean.listAccountScheduledPayments(entityId, accountId, n, s) },
        )
        for (read in reads) {
            val all = read(null, null)
            assertEquals("OK", all.status, all.json)
            assertTrue(all.recordsJson.isNotEmpty(), all.json)
            // One record per page: the second page starts with the second record.
            val first = read(0, 1)
            assertEquals(listOf(all.recordsJson[0]), first.recordsJson)
            if (all.recordsJson.size > 1) assertEquals(listOf(all.recordsJson[1]), read(1, 1).recordsJson)
        }
        // Amounts stay exact: sent as the number 12450.75, read as its text.
        val balances = lean.listAccountBalances(entityId, accountId)
        assertTrue(balances.dataJson.contains("\"balance\":\"12450.75\""), balances.dataJson)

        // Asked of the bank now, with Lean's insights, or narrowed to a period.
        val live = JSONObject(lean.getTransactions(entityId, accountId, insights = true).payloadJson!!)
        val count = live.getJSONArray("transactions").length()
        assertTrue(count > 0, live.toString())
        assertEquals(count, live.getJSONObject("insights").getInt("transaction_count"))
        val period = JSONObject(lean.getTransactions(entityId, accountId, startDate = "2001-01-01", endDate = "2001-01-31").payloadJson!!)
        assertEquals(0, period.getJSONArray("transactions").length())
        assertFalse(period.has("insights"))

        // The bank's failure is thrown with the code a program branches on.
        val failed = assertThrows<OtherApiException> { runBlocking { lean.listAccountBalances(entityId, "sandbox-fail-1") } }
        assertEquals("FAILED", failed.apiCode)
        assertEquals("SANDBOX_FAIL_TRIGGER", failed.granularStatusCode)
        assertThrows<NotFoundException> { runBlocking { lean.listAccountBalances(entityId, "no-such-account") } }
        // Java's futures run the same calls.
        assertEquals(accounts.recordsJson, lean.async().listAccounts(entityId).get().recordsJson)
    }

    @Test
    fun aDataRefreshIsFollowedToItsEnd() = runBlocking<Unit> {
        val lean = OpenBankingClient(Auth.appToken(appToken), plain)
        val (customer, entityId, accountId) = connectedEntity(lean, "kt-refresh")
        val started = lean.createDataRefresh(entityId)
        assertEquals(entityId, started.entityId)
        assertEquals(customer.customerId, started.customerId)
        assertEquals("IN_PROGRESS", started.status)
        val event = awaitEvent("entity.data.refresh.updated", started.refreshId)
        assertEquals(started.refreshId, event.dataRefresh?.refreshId)
        val done = lean.getDataRefresh(started.refreshId)
        assertEquals("COMPLETED", done.status)
        assertTrue(done.accountData.any { it.accountId == accountId }, done.json)
        assertEquals("OK", done.accounts)
        val refreshes = lean.listDataRefreshes(entityId, pageNumber = 0, pageSize = 10)
        assertEquals(listOf(started.refreshId), refreshes.map { it.refreshId })
        assertThrows<NotFoundException> { runBlocking { lean.getDataRefresh("00000000-0000-4000-8000-000000000000") } }
    }

    @Test
    fun connectionsAndIntentsAreFoundAgain() = runBlocking<Unit> {
        val lean = OpenBankingClient(Auth.appToken(appToken), plain)
        val (customer, entityId, _) = connectedEntity(lean, "kt-by-date")
        val today = java.time.LocalDate.now(java.time.ZoneOffset.UTC)
        val connected = lean.listEntitiesByDate(today.minusDays(1).toString(), today.plusDays(1).toString(), 0, 1000)
        assertTrue(connected.any { it.id == entityId && it.customerId == customer.customerId })
        assertTrue(lean.listEntitiesByDate("2001-01-01", "2001-01-31").isEmpty())

        // Lean's own destination form: no bank identifier, the bank type and the holder's id.
        val destination = lean.createPaymentDestination(
            NewDestination(
                displayName = "Supplier", name = "Supplier LLC", iban = "AE070331234567890123456", bankType = "retail",
                governmentIdentifier = GovernmentIdentifier("EMIRATES_ID", "784-1990-1234567-1"),
            ),
        )
        assertEquals(null, destination.bankIdentifier)
        assertEquals("RETAIL", destination.bankType)
        assertEquals("EMIRATES_ID", destination.governmentIdentifier?.kind)
        assertEquals("784-1990-1234567-1", destination.governmentIdentifier?.value)

        val intent = lean.createPaymentIntent(NewPaymentIntent(customer.customerId, BigDecimal("7.25"), "AED", paymentDestinationId = destination.id))
        val intents = lean.listPaymentIntents()
        val found = intents.single { it.paymentIntentId == intent.paymentIntentId }
        assertEquals(BigDecimal("7.25"), found.amount)
        assertEquals(customer.customerId, found.customerId)
    }

    @Test
    fun banksAndAPaymentById() = runBlocking<Unit> {
        val lean = OpenBankingClient(Auth.appToken(appToken), plain)
        val banks = lean.listBanks()
        assertEquals("LEANMB1", banks.first().identifier)
        val personal = lean.listBanks("PERSONAL")
        assertTrue(personal.isNotEmpty() && personal.size < banks.size)
        assertTrue(personal.all { it.accountType == "PERSONAL" })

        val customer = lean.createCustomer(NewCustomer("payer-${System.nanoTime()}"))
        val intent = lean.createPaymentIntent(NewPaymentIntent(customer.customerId, BigDecimal("12.30"), "AED"))
        val paid = admin("/_sandbox/openbanking/intents/${intent.paymentIntentId}/pay", "{}")
        val payment = lean.getPayment(paid.getString("id"))
        assertEquals(BigDecimal("12.30"), payment.amount)
        assertEquals(intent.paymentIntentId, payment.intentId)
        assertEquals(customer.customerId, payment.customerId)
        assertEquals("PENDING_WITH_BANK", payment.status)
        assertThrows<NotFoundException> { runBlocking { lean.getPayment("00000000-0000-4000-8000-000000000000") } }
    }

    @Test
    fun oauthTokensAreFetchedThenRenewed() = runBlocking<Unit> {
        val tokenRequests = AtomicInteger()
        val http = HttpUrlConnectionTransport()
        val counting = Transport { request, timeout ->
            if (request.url.endsWith("/oauth2/token")) tokenRequests.incrementAndGet()
            http.send(request, timeout)
        }
        val lean = OpenBankingClient(Auth.clientCredentials("sandbox-client-id", "sandbox-client-secret"), plain, transport = counting)
        lean.listPaymentDestinations()
        lean.listPaymentDestinations()
        assertEquals(1, tokenRequests.get(), "one token for both calls")
        Thread.sleep(1_200) // the sandbox issues 2 s tokens: renewed after half their life
        lean.listPaymentDestinations()
        assertEquals(2, tokenRequests.get(), "renewed before expiry")

        val wrong = OpenBankingClient(Auth.clientCredentials("sandbox-client-id", "not-the-secret"), plain)
        val e = assertThrows<UnauthorizedException> { runBlocking { wrong.listPaymentDestinations() } }
        assertFalse("${e.message} ${e.body}".contains("not-the-secret"))
    }

    @Test
    fun theBackendMintsACustomerTokenForTheLinkSdk() = runBlocking<Unit> {
        val backend = OpenBankingClient(Auth.clientCredentials("sandbox-client-id", "sandbox-client-secret"), plain)
        val customer = backend.createCustomer(NewCustomer("kt-scoped-${UUID.randomUUID()}"))
        val token = backend.customerToken(customer.customerId)
        assertEquals("customer.${customer.customerId}", token.scope)
        assertTrue(token.expiresAtMillis > System.currentTimeMillis())
        assertFalse(token.toString().contains(token.accessToken))
        // What the app does with it: read its own customer, and nothing else.
        val device = OpenBankingClient(Auth.accessToken(token.accessToken), plain)
        assertEquals(customer, device.getCustomer(customer.customerId))
        val refused = assertThrows<lean.sdk.ApiException> { runBlocking { device.listCustomers() } }
        assertEquals(403, refused.status)
    }

    private fun mtlsEnv() = OpenBankingEnvironment.custom(mtlsUrl, tokenBaseUrl = mtlsUrl, requiresMtls = true)

    @Test
    fun mutualTlsPresentsTheClientCertificate() = runBlocking<Unit> {
        val mtls = MtlsCredentials.fromPemFiles(
            File(certs, "client.pem").toPath(), File(certs, "client.key").toPath(), File(certs, "ca.pem").toPath(),
        )
        val lean = OpenBankingClient(Auth.appToken(appToken), mtlsEnv(), mtls = mtls)
        val appUserId = "mtls-${UUID.randomUUID()}"
        assertEquals(appUserId, lean.createCustomer(NewCustomer(appUserId)).appUserId)
        // OAuth through the same listener.
        val oauth = OpenBankingClient(Auth.clientCredentials("sandbox-client-id", "sandbox-client-secret"), mtlsEnv(), mtls = mtls)
        oauth.listPaymentDestinations()
    }

    @Test
    fun withoutAClientCertificateTheCallFailsAsTransport() {
        // Trusts the sandbox's CA but presents no certificate.
        val trustOnly = SSLContext.getInstance("TLS").apply {
            val store = KeyStore.getInstance(KeyStore.getDefaultType()).apply {
                load(null, null)
                val ca = File(certs, "ca.pem").inputStream().use { CertificateFactory.getInstance("X.509").generateCertificate(it) }
                setCertificateEntry("ca", ca)
            }
            init(null, TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm()).apply { init(store) }.trustManagers, null)
        }
        val none = OpenBankingClient(Auth.appToken(appToken), mtlsEnv(), transport = HttpUrlConnectionTransport(trustOnly), maxRetries = 0)
        val e = assertThrows<TransportException> { runBlocking { none.listPaymentDestinations() } }
        println("without a certificate: ${e.message}")
        assertEquals("transport", e.code)
        assertTrue(e.message!!.contains("mutual TLS"), e.message)

        val untrusted = MtlsCredentials.fromPemFiles(
            File(certs, "untrusted-client.pem").toPath(), File(certs, "untrusted-client.key").toPath(), File(certs, "ca.pem").toPath(),
        )
        val wrong = OpenBankingClient(Auth.appToken(appToken), mtlsEnv(), mtls = untrusted, maxRetries = 0)
        val e2 = assertThrows<TransportException> { runBlocking { wrong.listPaymentDestinations() } }
        println("with an untrusted certificate: ${e2.message}")
        assertEquals("transport", e2.code)
        assertTrue(e2.message!!.contains("certificate"), e2.message)
    }
}
