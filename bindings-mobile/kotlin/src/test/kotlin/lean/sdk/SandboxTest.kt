package lean.sdk

import com.sun.net.httpserver.HttpServer
import java.math.BigDecimal
import java.net.InetSocketAddress
import java.util.concurrent.LinkedBlockingQueue
import java.util.concurrent.TimeUnit
import kotlinx.coroutines.runBlocking
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
 * The whole partner flow against the local sandbox (loopback only), over the default
 * HttpURLConnection transport, with its webhooks received and verified. The sandbox binary
 * comes from the `lean.sandbox` system property (scripts/test.d/50-kotlin.sh builds it).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SandboxTest {
    private val key = "sk_test_kotlin_e2e"
    private val secret = "whsec_kotlin_e2e"
    private lateinit var sandbox: Process
    private lateinit var receiver: HttpServer
    private lateinit var baseUrl: String
    private val webhooks = LinkedBlockingQueue<Pair<ByteArray, String?>>()

    @BeforeAll
    fun start() {
        receiver = HttpServer.create(InetSocketAddress("127.0.0.1", 0), 0).apply {
            createContext("/hooks") { exchange ->
                webhooks.put(exchange.requestBody.readBytes() to exchange.requestHeaders.getFirst(Webhooks.SIGNATURE_HEADER))
                exchange.sendResponseHeaders(204, -1)
                exchange.close()
            }
            start()
        }
        sandbox = startSandbox(
            "serve", "--port", "0", "--api-key", key, "--webhook-secret", secret,
            "--approval-delay", "100ms", "--settlement-delay", "100ms", "--quiet",
        )
        val line = sandbox.inputStream.bufferedReader().readLine() ?: error("the sandbox did not start")
        val url = line.removePrefix("listening on ")
        assertTrue(url.startsWith("http://127.0.0.1:"), line)
        baseUrl = "$url/api"
        val (status, text) = postJson("$url/_sandbox/webhooks", """{"url": "http://127.0.0.1:${receiver.address.port}/hooks"}""")
        assertEquals(200, status, text)
    }

    @AfterAll
    fun stop() {
        if (::sandbox.isInitialized) sandbox.destroy()
        if (::receiver.isInitialized) receiver.stop(0)
    }

    /** Waits for the webhook of [event] about [id], verifying every webhook received. */
    private fun awaitEvent(event: String, id: String): WebhookEvent {
        val deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20)
        while (System.nanoTime() < deadline) {
            val (body, signature) = webhooks.poll(200, TimeUnit.MILLISECONDS) ?: continue
            val verified = Webhooks.constructEvent(body, signature, secret)
            val tampered = body.copyOf().also { it[it.size / 2] = (it[it.size / 2] + 1).toByte() }
            assertThrows<WebhookSignatureException> { Webhooks.verify(tampered, signature, secret) }
            if (verified.event == event && verified.json.contains(id)) return verified
        }
        error("no $event webhook for $id")
    }

    @Test
    fun `the partner flow, from onboarding to paid gigs and payments`() = runBlocking {
        val client = LeanClient(key, baseUrl = baseUrl)
        val worker = NewCustomer(
            firstName = "Jane", lastName = "Doe", birthday = "1980-12-31", phoneNumber = "4085008001",
            email = "jane.kotlin@example.com", street = "700 Treehouse Drive", city = "San Jose", state = "CA",
            postalCode = "95101", partnerUserId = "uid_kotlin_1", registrationDate = "2020-01-01",
        )
        val created = client.createCustomer(worker)
        assertEquals("uid_kotlin_1", created.partnerUserId)
        assertEquals("PENDING", created.status)
        // A second create of the same worker is reconciled with the first, not duplicated.
        assertEquals(created.partnerUserId, client.createCustomer(worker).partnerUserId)

        val updated = client.updateCustomer("uid_kotlin_1", CustomerUpdate(city = "Cupertino"))
        assertEquals("Cupertino", org.json.JSONObject(updated.json).getString("city"))
        assertEquals("Jane", client.getCustomer("uid_kotlin_1").firstName)

        assertEquals("submitted", client.submitApplication("uid_kotlin_1").status)
        val active = awaitEvent("customer.active", "uid_kotlin_1")
        assertEquals("uid_kotlin_1", active.customer?.partnerUserId)
        assertEquals("ACTIVE", client.getCustomer("uid_kotlin_1").status)

        val gig = NewGig(
            partnerUserId = "uid_kotlin_1", totalAmount = BigDecimal("15.00"), tips = BigDecimal("3"),
            expenses = BigDecimal("2.5"), description = "Gig Payout", gigId = "gig_kotlin_1",
            startTime = "2021-03-01T21:04:04", endTime = "2021-03-01T21:31:05",
        )
        val paid = client.createGig(gig)
        assertEquals(BigDecimal("15.00"), paid.totalAmount)
        assertEquals(BigDecimal("2.50"), paid.expenses)
        // The same gig again: found and reconciled, never paid twice.
        val again = client.createGig(gig)
        assertEquals(paid.gigId, again.gigId)
        assertEquals(1, client.listGigs().count { it.gigId == "gig_kotlin_1" })
        // The same id for a different gig is a conflict, not a second payout.
        val conflict = assertThrows<ConflictException> { runBlocking { client.createGig(gig.copy(totalAmount = BigDecimal("16.00"))) } }
        assertEquals("conflict", conflict.code)
        assertEquals("gig_kotlin_1", client.getGig("gig_kotlin_1").gigId)

        val bonus = NewSpecialPayment(partnerUserId = "uid_kotlin_1", amount = BigDecimal("4.56"), paymentType = "reimbursement",
            gigId = "gig_kotlin_1", description = "Parking", userdata = """{"ticket": 42}""")
        val payment = client.createSpecialPayment(bonus, idempotencyKey = "payment-kotlin-1")
        assertEquals(BigDecimal("4.56"), payment.amount)
        assertEquals("""{"ticket":42}""", payment.userdata)
        val replay = client.createSpecialPayment(bonus, idempotencyKey = "payment-kotlin-1")
        assertEquals(payment.id, replay.id, "the same idempotency key makes the same payment")
        assertEquals(payment.id, client.getSpecialPayment(payment.id).id)
        assertEquals(1, client.listSpecialPayments().count { it.id == payment.id })

        val completed = awaitEvent("gig.completed", "gig_kotlin_1")
        assertEquals("SUCCESS", completed.gig?.status)
        awaitEvent("specialpayment.completed", payment.id)
        assertEquals("SUCCESS", client.getGig("gig_kotlin_1").status)
    }

    @Test
    fun `API errors arrive as typed exceptions`() = runBlocking {
        val client = LeanClient(key, baseUrl = baseUrl, maxRetries = 0)
        val missing = assertThrows<NotFoundException> { runBlocking { client.getGig("no_such_gig") } }
        assertEquals(404, missing.status)
        assertNotNull(missing.requestId)

        val stranger = LeanClient("sk_wrong_key", baseUrl = baseUrl, maxRetries = 0)
        val refused = assertThrows<UnauthorizedException> { runBlocking { stranger.listGigs() } }
        assertEquals("unauthorized", refused.code)
        assertFalse(refused.message!!.contains("sk_wrong_key"))

        val unpaid = assertThrows<BadRequestException> {
            runBlocking { client.createSpecialPayment(mapOf("partnerUserId" to "nobody", "amount" to BigDecimal("1.00"), "type" to "bonus")) }
        }
        assertEquals(400, unpaid.status)
    }

    @Test
    fun `a refused connection is a transport error that created nothing`() = runBlocking {
        val port = java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()).use { it.localPort }
        val client = LeanClient(key, baseUrl = "http://127.0.0.1:$port/api", maxRetries = 1)
        val e = assertThrows<TransportException> { runBlocking { client.listGigs() } }
        assertFalse(e.outcomeUnknown)
        assertTrue(e.message!!.contains("2 attempt"), e.message)
    }
}
