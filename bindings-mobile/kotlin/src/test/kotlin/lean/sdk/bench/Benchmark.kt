package lean.sdk.bench

import java.math.BigDecimal
import java.security.MessageDigest
import java.time.LocalDateTime
import java.util.Base64
import javax.crypto.Mac
import javax.crypto.spec.SecretKeySpec
import lean.sdk.NewGig
import lean.sdk.FastPath
import lean.sdk.Webhooks
import lean.sdk.validate
import lean.sdk.ffi.NativeConfig
import lean.sdk.ffi.NativeOperation
import lean.sdk.ffi.boundaryProbe

/**
 * Side-by-side timings of the Kotlin binding and the plain-JVM alternative, in one process:
 * `mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=lean.sdk.bench.BenchmarkKt`
 * (bindings-mobile/bench.sh). Each pair is warmed up, then timed in interleaved rounds; the
 * best and median round are reported. Nothing here is asserted: speed is measured, not tested.
 */
fun main() {
    val secret = "whsec_bench_secret"
    val body = ("{\"event\":\"gig.completed\",\"data\":{\"gigId\":\"g\",\"description\":\"" + "x".repeat(1024) + "\"}}")
        .toByteArray().copyOf(1024)
    val signature = Webhooks.sign(secret, body)

    val verifier = Webhooks.verifier(secret)
    val mac = Mac.getInstance("HmacSHA1").apply { init(SecretKeySpec(secret.toByteArray(), "HmacSHA1")) }
    pair(
        "webhook verify, 1 KiB",
        "lean-sdk Webhooks.Verifier.verify" to { verifier.verify(body, signature); 1 },
        "javax.crypto Mac(HmacSHA1) + Base64 + MessageDigest.isEqual" to {
            val expected = Base64.getDecoder().decode(signature)
            if (MessageDigest.isEqual(mac.doFinal(body), expected)) 1 else 0
        },
    )

    val empty = ByteArray(0)
    pair(
        "crossing the boundary once, doing nothing (JNA direct mapping both)",
        "uniffi-generated call: boundaryProbe(empty ByteArray)" to { boundaryProbe(empty).toInt() },
        "plain C entry: lean_sdk_fast_verify(no handle)" to { FastPath.lean_sdk_fast_verify(0, empty, 0, empty, -1) },
    )

    val config = NativeConfig("sk_bench_key", "sandbox", null, null, "kotlin/bench")
    val gig = NewGig("uid_847834395730535", "15.00", "3.00", "2.00", "Gig Payout", "gigId_94792357823953532",
        "2021-03-01T21:04:04", "2021-03-01T21:31:05")
    val authorization = "Basic " + Base64.getEncoder().encodeToString("sk_bench_key:".toByteArray())
    pair(
        "create-gig validate + build the request",
        "lean-sdk NativeOperation.createGig(gig).request(config)" to {
            NativeOperation.createGig(gig).use { it.request(config).headers.size }
        },
        "hand-written Kotlin: same rules + JSON body + headers" to { KotlinGig.build(gig, authorization).length },
    )
    pair(
        "create-gig form validation",
        "lean-sdk validate(gig)" to { validate(gig); 1 },
        "hand-written Kotlin: same rules" to { KotlinGig.check(gig) },
    )
}

/** A plain-Kotlin equivalent of the core's gig rules, as a user without the SDK would write. */
private object KotlinGig {
    private fun amount(text: String, positive: Boolean): BigDecimal {
        val value = text.trim().toBigDecimal()
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

/** Times [a] and [b] in interleaved rounds of about 300 ms each, after a warm-up. */
private fun pair(title: String, a: Pair<String, () -> Int>, b: Pair<String, () -> Int>) {
    val rounds = 9
    val results = listOf(a, b).associate { it.first to mutableListOf<Double>() }
    for ((_, f) in listOf(a, b)) timeRound(f, 1_000_000_000L)
    repeat(rounds) {
        for ((name, f) in listOf(a, b)) results.getValue(name) += timeRound(f, 300_000_000L)
    }
    println("\n$title")
    for ((name, times) in results) {
        val sorted = times.sorted()
        println("  %-62s best %8.0f ns/op   median %8.0f ns/op   (%,.0f ops/s)".format(
            name, sorted.first(), sorted[sorted.size / 2], 1e9 / sorted[sorted.size / 2]))
    }
    val (ma, mb) = results.values.map { it.sorted()[it.size / 2] }
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
