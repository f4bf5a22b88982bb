package lean.sdk

import lean.sdk.ffi.NativeOperation

// Form validation with exactly the server's rules, without sending anything: a sign-up or
// payout form can show every problem at once, each naming the API's field (`firstName`).
// Each function returns normally for valid input and throws ValidationException otherwise.

/** Checks a worker's registration form. */
fun validate(input: NewCustomer) = native { NativeOperation.createCustomer(input) }.close()

/** Checks changes to a pending worker. */
fun validate(partnerUserId: String, update: CustomerUpdate) =
    native { NativeOperation.updateCustomer(partnerUserId, update) }.close()

/** Checks a gig before paying it. */
fun validate(input: NewGig) = native { NativeOperation.createGig(input) }.close()

/** Checks a special payment, and its idempotency key when given. */
fun validate(input: NewSpecialPayment, idempotencyKey: String? = null) =
    native { NativeOperation.createSpecialPayment(input, idempotencyKey) }.close()

/**
 * Checks form fields held as a map (API camelCase names; amounts as BigDecimal or text) for
 * [operation] (`createCustomer`, `createGig`, `createSpecialPayment`, `updateCustomer`).
 */
fun validate(operation: String, input: Map<String, Any?>, partnerUserId: String? = null) {
    val call = buildMap {
        put("operation", operation)
        put("input", input)
        if (partnerUserId != null) put("partnerUserId", partnerUserId)
    }
    native { NativeOperation.fromJson(Json.write(call)) }.close()
}
