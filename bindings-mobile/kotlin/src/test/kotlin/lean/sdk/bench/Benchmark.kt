package lean.sdk.bench

import java.math.BigDecimal
import java.security.MessageDigest
import java.security.SecureRandom
import java.time.LocalDateTime
import java.util.Base64
import kotlin.coroutines.cancellation.CancellationException
import javax.crypto.Mac
import javax.crypto.spec.SecretKeySpec
import kotlin.coroutines.Continuation
import kotlin.coroutines.EmptyCoroutineContext
import kotlin.coroutines.startCoroutine
import lean.sdk.HttpRequest
import lean.sdk.HttpResponse
import lean.sdk.LeanClient
import lean.sdk.NewGig
import lean.sdk.Webhooks
import lean.sdk.validate
import lean.sdk.ffi.NativeConfig
import lean.sdk.ffi.NativeOperation
import lean.sdk.ffi.boundaryProbe

/**
 * Side-by-side timings of the Kotlin binding and the plain-JVM alternative, in one process:
 * `mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=lean.sdk.bench.BenchmarkKt`
 * (bindings-mobile/bench.sh). Each group is warmed up, then timed in interleaved rounds; the
 * median and best round are reported. The first case of a group is the SDK's public path,
 * the second the plain-JVM alternative; the others show where the time goes. Nothing here is
 * asserted: speed is measured, not tested.
 */
fun main() {
    val secret = "whsec_bench_secret"
    val body = ("{\"event\":\"gig.completed\",\"data\":{\"gigId\":\"g\",\"description\":\"" + "x".repeat(1024) + "\"}}")
        .toByteArray().copyOf(1024)
    val signature = Webhooks.sign(secret, body)

    val verifier = Webhooks.verifier(secret)
    val mac = Mac.getInstance("HmacSHA1").apply { init(SecretKeySpec(secret.toByteArray(), "HmacSHA1")) }
    compare(
        "webhook verify, 1 KiB",
        "lean-sdk Webhooks.Verifier.verify (one uniffi call)" to { verifier.verify(body, signature); 1 },
        "javax.crypto Mac(HmacSHA1) + Base64 + MessageDigest.isEqual" to {
            val expected = Base64.getDecoder().decode(signature)
            if (MessageDigest.isEqual(mac.doFinal(body), expected)) 1 else 0
        },
        "part: one uniffi call, boundaryProbe(empty ByteArray)" to { boundaryProbe(ByteArray(0)).toInt() },
    )

    val gig = NewGig("uid_847834395730535", BigDecimal("15.00"), BigDecimal("3.00"), BigDecimal("2.00"), "Gig Payout", "gigId_94792357823953532",
        "2021-03-01T21:04:04", "2021-03-01T21:31:05")
    val answer = ("{\"gigId\":\"gigId_94792357823953532\",\"partnerUserId\":\"uid_847834395730535\",\"totalAmount\":\"15.00\"," +
        "\"tips\":\"3.00\",\"expenses\":\"2.00\",\"description\":\"Gig Payout\",\"startTime\":\"2021-03-01T21:04:04\"," +
        "\"endTime\":\"2021-03-01T21:31:05\",\"status\":\"PENDING\"}").toByteArray()
    val authorization = "Basic " + Base64.getEncoder().encodeToString("sk_bench_key:".toByteArray())
    val capture = Capture()
    val client = LeanClient("sk_bench_key", transport = capture)
    val answered = LeanClient("sk_bench_key", transport = { _, _ -> HttpResponse(201, emptyList(), answer) })
    val config = NativeConfig("sk_bench_key", "sandbox", null, null, "kotlin/bench")
    val random = SecureRandom()
    compare(
        "create-gig validate + build the request",
        "lean-sdk LeanClient.createGig(gig), up to the transport" to { capture.createGig(client, gig) },
        "hand-written Kotlin: same rules + JSON body + headers" to { KotlinGig.build(gig, authorization).length },
        "lean-sdk LeanClient.createGig(gig), whole call with a canned 201 answer" to { complete { answered.createGig(gig) }.tips?.precision() ?: 0 },
        "part: NativeOperation.createGig(gig).request(config)" to {
            NativeOperation.createGig(gig).use { it.request(config).headers.size }
        },
        "part: 32 bytes from SecureRandom" to { ByteArray(32).also(random::nextBytes).size },
    )
    compare(
        "create-gig form validation",
        "lean-sdk validate(gig)" to { validate(gig); 1 },
        "hand-written Kotlin: same rules" to { KotlinGig.check(gig) },
    )
}

/**
 * Runs [block] as a coroutine on this thread and returns its result: the transports here
 * never suspend, so it completes before returning, as code already inside a coroutine calls it.
 */
private fun <T> complete(block: suspend () -> T): T {
    var outcome: Result<T>? = null
    block.startCoroutine(Continuation(EmptyCoroutineContext) { outcome = it })
    return outcome!!.getOrThrow()
}

/**
 * A transport that keeps the request and stops the call there (a cancellation, which ends
 * the call at once): no network in the timing.
 */
private class Capture : lean.sdk.Transport {
    private val stop = CancellationException("captured")
    var request: HttpRequest? = null

    override suspend fun send(request: HttpRequest, timeoutMillis: Long): HttpResponse {
        this.request = request
        throw stop
    }

    fun createGig(client: LeanClient, gig: NewGig): Int {
        request = null
        val e = runCatching { complete { client.createGig(gig) } }.exceptionOrNull()
        if (e !== stop) throw IllegalStateException("the call did not reach the transport", e)
        return request!!.headers.size
    }
}

/** A plain-Kotlin equivalent of the core's gig rules, as a user without the SDK would write. */
private object KotlinGig {
    private fun amount(value: BigDecimal, positive: Boolean): BigDecimal {
        require(value.scale() <= 2) { "too many decimals" }
        require(if (positive) value.signum() > 0 else value.signum() >= 0) { "out of range" }
        return value.setScale(2)
    }

    private fun identifier(text: String): String {
        require(text.isNotBlank() && text.trim() == text && text.length <= 255 && text.none { it.isISOControl() })
        return text
    }

    fun check(gig: NewGig): Int {
        val total = amount(gig.totalAmount, true)
        require(amount(gig.tips, false) + amount(gig.expenses, false) <= total) { "inconsistent" }
        require(gig.description.isNotBlank() && gig.description.length <= 255)
        require(!LocalDateTime.parse(gig.endTime).isBefore(LocalDateTime.parse(gig.startTime)))
        return identifier(gig.partnerUserId).length + identifier(gig.gigId).length
    }

    fun build(gig: NewGig, authorization: String): String {
        val total = amount(gig.totalAmount, true)
        val tips = amount(gig.tips, false)
        val expenses = amount(gig.expenses, false)
        require(tips + expenses <= total) { "inconsistent" }
        require(gig.description.isNotBlank() && gig.description.length <= 255)
        val start = LocalDateTime.parse(gig.startTime)
        val end = LocalDateTime.parse(gig.endTime)
        require(!end.isBefore(start))
        val json = StringBuilder()
            .append("{\"partnerUserId\":\"").append(identifier(gig.partnerUserId))
            .append("\",\"totalAmount\":\"").append(total.toPlainString())
            .append("\",\"tips\":\"").append(tips.toPlainString())
            .append("\",\"expenses\":\"").append(expenses.toPlainString())
            .append("\",\"description\":\"").append(gig.description)
            .append("\",\"gigId\":\"").append(identifier(gig.gigId))
            .append("\",\"startTime\":\"").append(gig.startTime)
            .append("\",\"endTime\":\"").append(gig.endTime).append("\"}")
            .toString()
        val headers = listOf("authorization" to authorization, "accept" to "application/json",
            "user-agent" to "bench", "content-type" to "application/json")
        return json + headers.size
    }
}

private var sink = 0

/** Times each case in interleaved rounds of about 300 ms, after a warm-up of 1 s each. */
private fun compare(title: String, vararg cases: Pair<String, () -> Int>) {
    val rounds = 9
    val results = cases.associate { it.first to mutableListOf<Double>() }
    for ((_, f) in cases) timeRound(f, 1_000_000_000L)
    repeat(rounds) {
        for ((name, f) in cases) results.getValue(name) += timeRound(f, 300_000_000L)
    }
    println("\n$title")
    for ((name, times) in results) {
        val sorted = times.sorted()
        println("  %-72s median %8.0f ns/op   best %8.0f ns/op".format(name, sorted[sorted.size / 2], sorted.first()))
    }
    val (ma, mb) = results.values.take(2).map { it.sorted()[it.size / 2] }
    println("  ratio (second / first, by median): %.2fx".format(mb / ma))
}

private fun timeRound(f: () -> Int, budgetNanos: Long): Double {
    var ops = 0L
    val start = System.nanoTime()
    var now = start
    while (now - start < budgetNanos) {
        repeat(1000) { sink += f() }
        ops += 1000
        now = System.nanoTime()
    }
    return (now - start).toDouble() / ops
}
