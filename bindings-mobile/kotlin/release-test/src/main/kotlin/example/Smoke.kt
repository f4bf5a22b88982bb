package example

import java.math.BigDecimal
import lean.sdk.NewGig
import lean.sdk.ValidationException
import lean.sdk.WebhookSignatureException
import lean.sdk.Webhooks
import lean.sdk.gig
import lean.sdk.validate

/** The released jar, as a Kotlin user's project gets it: a gig validated, a webhook verified. */
fun main() {
    fun gig(total: String) = NewGig("uid_1", BigDecimal(total), BigDecimal("3"), BigDecimal("2"),
        "Gig Payout", "gig_1", "2021-03-01T21:04:04", "2021-03-01T21:31:05")

    validate(gig("15.00"))
    val refused = try {
        validate(gig("1.999"))
        null
    } catch (e: ValidationException) {
        e
    }
    check(refused != null && refused.fieldErrors.any { it.field == "totalAmount" }) {
        "a total of 1.999 was not refused as totalAmount: $refused"
    }

    val payload = """{"event":"gig.completed","data":{"gigId":"g1","status":"SUCCESS"}}"""
    val signature = Webhooks.sign("whsec_k", payload)
    val event = Webhooks.verifier("whsec_k").use { it.constructEvent(payload.toByteArray(), signature) }
    check(event.event == "gig.completed" && event.gig?.gigId == "g1") { "wrong event: $event" }
    val forged = try {
        Webhooks.verifier("whsec_other").use { it.constructEvent(payload.toByteArray(), signature) }
        null
    } catch (e: WebhookSignatureException) {
        e
    }
    check(forged?.code == "signature_mismatch") { "a signature under another secret was accepted: $forged" }
    println("Kotlin user project: gig validated (totalAmount refused at 1.999), webhook ${event.event} verified")
}
