package lean.sdk

import com.sun.net.httpserver.HttpExchange
import com.sun.net.httpserver.HttpServer
import java.net.InetSocketAddress
import java.util.Collections
import lean.sdk.openbanking.OpenBankingEvent
import lean.sdk.openbanking.OpenBankingWebhooks
import org.json.JSONObject
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.fail

/**
 * Every webhook event type the sandbox can trigger (`POST /_sandbox/trigger`, sandbox/README.md
 * "Test your webhook handler"), delivered over real HTTP to a receiver built on the package's
 * verifiers: `/payouts` reads the body with the stream reader and verifies `x-lean-signature`
 * with the API key, `/openbanking` verifies `lean-signature` with the sandbox's default
 * open-banking secret. Each event must verify and parse to its typed event; a bad or missing
 * signature must be refused with the verifier's own error. The sandbox binary comes from the
 * `lean.sandbox` system property (scripts/test.d/50-kotlin.sh builds it).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TriggerTest {
    private val apiKey = "sk_test_kotlin_trigger"
    private val openBankingSecret = "sandbox-webhook-secret" // the sandbox's default
    private val payoutsEvents = listOf(
        "customer.active", "customer.inactive", "gig.completed", "gig.failed",
        "specialpayment.completed", "specialpayment.failed",
    )
    private val openBankingEvents = listOf(
        "results.ready", "entity.created", "payment.created", "payment.updated", "payment_intent.created",
        "payment_source.created", "payment_source.beneficiary.created", "entity.data.refresh.updated",
        "bank.availability.updated",
    )

    private lateinit var sandbox: Process
    private lateinit var sandboxUrl: String
    private lateinit var receiver: HttpServer
    private lateinit var receiverUrl: String
    private val payoutsVerifier = Webhooks.verifier(apiKey)
    private val openBankingVerifier = OpenBankingWebhooks.verifier(openBankingSecret)

    /** What the receiver verified, and the signature errors it refused with, in arrival order. */
    private val verifiedPayouts: MutableList<WebhookEvent> = Collections.synchronizedList(mutableListOf())
    private val verifiedOpenBanking: MutableList<OpenBankingEvent> = Collections.synchronizedList(mutableListOf())
    private val refusals: MutableList<WebhookSignatureException> = Collections.synchronizedList(mutableListOf())

    @BeforeAll
    fun start() {
        receiver = HttpServer.create(InetSocketAddress("127.0.0.1", 0), 0).apply {
            createContext("/payouts") { exchange -> receivePayouts(exchange) }
            createContext("/openbanking") { exchange -> receiveOpenBanking(exchange) }
            start()
        }
        receiverUrl = "http://127.0.0.1:${receiver.address.port}"
        // No --webhook-secret: payouts webhooks are signed with the API key.
        sandbox = startSandbox("serve", "--port", "0", "--api-key", apiKey, "--quiet")
        val line = sandbox.inputStream.bufferedReader().readLine() ?: error("the sandbox did not start")
        sandboxUrl = line.removePrefix("listening on ")
        assertTrue(sandboxUrl.startsWith("http://127.0.0.1:"), line)
    }

    @AfterAll
    fun stop() {
        if (::sandbox.isInitialized) sandbox.destroy()
        if (::receiver.isInitialized) receiver.stop(0)
        payoutsVerifier.close()
    }

    /** A payouts endpoint as a partner writes one: 204 when verified, 400 when refused. */
    private fun receivePayouts(exchange: HttpExchange) = exchange.use {
        val declared = it.requestHeaders.getFirst("content-length")?.toLongOrNull()
        val signature = it.requestHeaders.getFirst(Webhooks.SIGNATURE_HEADER)
        val status = try {
            verifiedPayouts += payoutsVerifier.constructEvent(it.requestBody, declared, signature)
            204
        } catch (e: WebhookSignatureException) {
            refusals += e
            400
        }
        it.sendResponseHeaders(status, -1)
    }

    /** An open-banking endpoint: 200 when verified (Lean needs exactly that), else the reject status. */
    private fun receiveOpenBanking(exchange: HttpExchange) = exchange.use {
        val declared = it.requestHeaders.getFirst("content-length")?.toLongOrNull()
        val body = WebhookBody.read(it.requestBody, declared)
        val signature = it.requestHeaders.getFirst(OpenBankingWebhooks.SIGNATURE_HEADER)
        val status = try {
            verifiedOpenBanking += openBankingVerifier.constructEvent(body, signature)
            OpenBankingWebhooks.ACKNOWLEDGE_STATUS
        } catch (e: WebhookSignatureException) {
            refusals += e
            OpenBankingWebhooks.REJECT_STATUS
        }
        it.sendResponseHeaders(status, -1)
    }

    /** Asks the sandbox to send [fields]' webhook now; returns its report. */
    private fun trigger(vararg fields: Pair<String, Any>): JSONObject {
        val (status, text) = postJson("$sandboxUrl/_sandbox/trigger", JSONObject(fields.toMap()).toString())
        assertEquals(200, status, text)
        return JSONObject(text)
    }

    /**
     * Triggers [event] and one replay of it to the receiver's [path], both to be answered
     * [status]; returns the report and what [received] gained from them, checked to be [event]
     * twice by [name].
     */
    private fun <E> triggerWithReplay(
        event: String,
        path: String,
        status: Int,
        received: List<E>,
        name: (E) -> String,
    ): Pair<JSONObject, List<E>> {
        val before = received.size
        val report = trigger("event" to event, "to" to "$receiverUrl$path", "replay" to 1)
        assertEquals(listOf(status to true, status to true), report.outcomes(), event)
        val verified = received.drop(before)
        assertEquals(listOf(event, event), verified.map(name))
        return report to verified
    }

    /** The report's attempts as (status, delivered) pairs. */
    private fun JSONObject.outcomes(): List<Pair<Int, Boolean>> {
        val attempts = getJSONArray("attempts")
        return (0 until attempts.length()).map { attempts.getJSONObject(it).let { a -> a.getInt("status") to a.getBoolean("delivered") } }
    }

    @Test
    fun `every payouts event is verified and parsed to its typed event, and a replay keeps its dedup key`() {
        for (event in payoutsEvents) {
            val (report, verified) = triggerWithReplay(event, "/payouts", 204, verifiedPayouts) { it.event }
            val sent = report.getJSONObject("body").getJSONObject("data")
            val failed = event.endsWith(".failed")
            val first = verified[0]
            when (event.substringBefore('.')) {
                "customer" -> {
                    val customer = first.customer ?: fail("$event carries no customer")
                    assertEquals(sent.getString("partnerUserId"), customer.partnerUserId)
                    assertEquals(if (event == "customer.active") "ACTIVE" else "INACTIVE", customer.status)
                }
                "gig" -> {
                    val gig = first.gig ?: fail("$event carries no gig")
                    assertEquals(sent.getString("gigId"), gig.gigId)
                    assertEquals(java.math.BigDecimal(sent.getString("totalAmount")), gig.totalAmount)
                    assertEquals(if (failed) "FAILED" else "SUCCESS", gig.status)
                }
                else -> {
                    val payment = first.specialPayment ?: fail("$event carries no special payment")
                    assertEquals(sent.getString("id"), payment.id)
                    assertEquals(java.math.BigDecimal(sent.getString("amount")), payment.amount)
                    assertEquals(if (failed) "FAILED" else "SUCCESS", payment.status)
                }
            }
            // Payouts webhooks carry no id: a handler skips the replay by the core's key.
            assertNotNull(first.dedupKey, event)
            assertEquals(first.dedupKey, verified[1].dedupKey, event)
        }
    }

    @Test
    fun `every open-banking event is verified and parsed, and a replay keeps its event id`() {
        for (event in openBankingEvents) {
            val (report, verified) = triggerWithReplay(event, "/openbanking", 200, verifiedOpenBanking) { it.type }
            val sent = report.getJSONObject("body")
            val payload = sent.getJSONObject("payload")
            assertEquals(sent.getString("event_id"), verified[0].eventId, event)
            assertEquals(sent.getString("event_id"), verified[1].eventId, event)
            when (event) {
                "results.ready" -> assertEquals(payload.getString("id"), verified[0].resultsId)
                "entity.created" -> {
                    val entity = verified[0].entity ?: fail("$event carries no entity")
                    assertEquals(payload.getString("id"), entity.id)
                    assertEquals(payload.getString("customer_id"), entity.customerId)
                    assertEquals(true, entity.permissions?.accounts)
                }
                "payment.created", "payment.updated" -> assertEquals(payload.getString("id"), verified[0].payment?.id)
                "payment_intent.created" -> assertEquals(payload.getString("intent_id"), verified[0].paymentIntent?.intentId)
                "payment_source.created", "payment_source.beneficiary.created" ->
                    assertEquals(payload.getString("id"), verified[0].paymentSource?.id)
                "entity.data.refresh.updated" -> assertEquals(payload.getString("refresh_id"), verified[0].dataRefresh?.refreshId)
                "bank.availability.updated" -> assertEquals(payload.getString("identifier"), verified[0].bankAvailability?.identifier)
                else -> fail("$event is not checked")
            }
        }
    }

    @Test
    fun `bad and missing signatures are refused with the verifier's signature error`() {
        val targets = listOf("gig.failed" to "$receiverUrl/payouts", "payment.updated" to "$receiverUrl/openbanking")
        val refusalsWanted = listOf("bad_signature" to "signature_mismatch", "unsigned" to "signature_missing")
        for ((event, url) in targets) {
            for ((option, code) in refusalsWanted) {
                val verifiedBefore = verifiedPayouts.size + verifiedOpenBanking.size
                val refusedBefore = refusals.size
                val report = trigger("event" to event, "to" to url, option to true)
                val status = if (url.endsWith("/payouts")) 400 else OpenBankingWebhooks.REJECT_STATUS
                assertEquals(listOf(status to false), report.outcomes(), "$event $option")
                assertEquals(verifiedBefore, verifiedPayouts.size + verifiedOpenBanking.size, "$event $option was accepted")
                assertEquals(listOf(code), refusals.drop(refusedBefore).map { it.code }, "$event $option")
                assertEquals(option == "unsigned", report.isNull("signature"), "$event $option sent no signature")
            }
        }
    }
}
