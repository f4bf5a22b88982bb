package lean.sdk.demo

import com.sun.net.httpserver.HttpServer
import java.math.BigDecimal
import java.net.HttpURLConnection
import java.net.InetSocketAddress
import java.net.URI
import java.util.UUID
import java.util.concurrent.LinkedBlockingQueue
import java.util.concurrent.TimeUnit
import kotlinx.coroutines.runBlocking
import lean.sdk.LeanClient
import lean.sdk.NewCustomer
import lean.sdk.NewSpecialPayment
import lean.sdk.WebhookEvent
import lean.sdk.WebhookSignatureException
import lean.sdk.Webhooks
import lean.sdk.NewGig

/**
 * The partner flow against a Lean API (the local sandbox in the demo, `scripts/demo kotlin`):
 * register a worker, approve them, receive the customer.active webhook, pay a gig and a
 * bonus, receive the completion webhooks, list what was paid.
 *
 * Usage: `PartnerFlowKt BASE_URL API_KEY WEBHOOK_SECRET`, or the environment variables
 * `LEAN_BASE_URL`, `LEAN_API_KEY`, `LEAN_WEBHOOK_SECRET` (Maven's `exec:java` would pass
 * `exec.args` to the build's own `exec` step too). Webhooks arrive on a receiver this program
 * starts on a loopback port and registers with the sandbox.
 */
fun main(args: Array<String>) = runBlocking {
    val (baseUrl, apiKey, secret) = listOf("LEAN_BASE_URL", "LEAN_API_KEY", "LEAN_WEBHOOK_SECRET")
        .mapIndexed { i, name -> args.getOrNull(i) ?: System.getenv(name) ?: error("missing $name") }
    val events = LinkedBlockingQueue<WebhookEvent>()
    val verifier = Webhooks.verifier(secret)
    val receiver = HttpServer.create(InetSocketAddress("127.0.0.1", 0), 0).apply {
        createContext("/webhooks") { exchange ->
            val body = exchange.requestBody.readBytes()
            val status = try {
                events.put(verifier.constructEvent(body, exchange.requestHeaders.getFirst(Webhooks.SIGNATURE_HEADER)))
                204
            } catch (e: WebhookSignatureException) {
                400
            }
            exchange.sendResponseHeaders(status, -1)
            exchange.close()
        }
        start()
    }
    register(baseUrl, "http://127.0.0.1:${receiver.address.port}/webhooks")

    LeanClient(apiKey, baseUrl = "$baseUrl/api").use { lean ->
        val run = UUID.randomUUID().toString().take(8)
        val uid = "kt_demo_$run"
        val customer = lean.createCustomer(
            NewCustomer(
                firstName = "Jane", lastName = "Doe", birthday = "1980-12-31",
                phoneNumber = "408" + (5_000_000 + run.toLong(16) % 4_999_999), email = "$uid@example.com",
                street = "700 Treehouse Drive", city = "San Jose", state = "CA", postalCode = "95101",
                partnerUserId = uid, registrationDate = "2020-01-01",
            ),
        )
        println("customer ${customer.partnerUserId}: ${customer.status}")
        println("application: ${lean.submitApplication(uid).status}")
        events.await("customer.active")

        val gig = lean.createGig(
            NewGig(
                partnerUserId = uid, totalAmount = BigDecimal("15.00"), tips = BigDecimal("3.00"),
                expenses = BigDecimal("2.00"), description = "Gig Payout", gigId = "gig_$run",
                startTime = "2021-03-01T21:04:04", endTime = "2021-03-01T21:31:05",
            ),
        )
        println("gig ${gig.gigId}: ${gig.totalAmount} ${gig.status}")
        val bonus = lean.createSpecialPayment(
            NewSpecialPayment(partnerUserId = uid, amount = BigDecimal("4.56"), paymentType = "bonus", description = "Weekend bonus"),
            idempotencyKey = "bonus_$run",
        )
        println("special payment ${bonus.id}: ${bonus.amount} ${bonus.status}")
        events.await("gig.completed")
        events.await("specialpayment.completed")

        val paid = lean.listGigs().filter { it.partnerUserId == uid }
        val bonuses = lean.listSpecialPayments().filter { it.partnerUserId == uid }
        println("paid: ${paid.size} gig(s), ${bonuses.size} special payment(s)")
        paid.forEach { println("  gig ${it.gigId}: ${it.totalAmount} ${it.status}") }
        bonuses.forEach { println("  special payment ${it.id}: ${it.amount} ${it.status}") }
    }
    receiver.stop(0)
    verifier.close()
}

/** Asks the sandbox to send its webhooks to [url]. */
private fun register(baseUrl: String, url: String) {
    val admin = URI("$baseUrl/_sandbox/webhooks").toURL().openConnection() as HttpURLConnection
    admin.requestMethod = "POST"
    admin.doOutput = true
    admin.setRequestProperty("content-type", "application/json")
    admin.outputStream.use { it.write("""{"url": "$url"}""".toByteArray()) }
    check(admin.responseCode == 200) { "the sandbox refused the webhook URL: ${admin.responseCode}" }
}

/** Waits for the next [name] webhook (verified on arrival). */
private fun LinkedBlockingQueue<WebhookEvent>.await(name: String): WebhookEvent {
    val deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30)
    while (true) {
        val left = deadline - System.nanoTime()
        check(left > 0) { "no $name webhook within 30 s" }
        val event = poll(left, TimeUnit.NANOSECONDS) ?: continue
        if (event.event == name) {
            println("  webhook ${event.event} verified")
            return event
        }
    }
}
