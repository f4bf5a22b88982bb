@file:JvmName("Validation")

package lean.sdk

import lean.sdk.ffi.NativeOperation

// Form validation with exactly the server's rules, without sending anything: a sign-up or
// payout form can show every problem at once, each naming the API's field (`firstName`).
// Each function returns normally for valid input and throws ValidationException otherwise.
// The check is one call into the library, cheap enough for every keystroke.

/** Checks a worker's registration form. */
@Throws(LeanException::class)
fun validate(input: NewCustomer) = check { NativeOperation.createCustomer(input) }

/** Checks changes to a pending worker. */
@Throws(LeanException::class)
fun validate(partnerUserId: String, update: CustomerUpdate) =
    check { NativeOperation.updateCustomer(partnerUserId, update) }

/** Checks a gig before paying it. */
@Throws(LeanException::class)
fun validate(input: NewGig) = check { NativeOperation.createGig(input) }

/** Checks a special payment, and its idempotency key when given. */
@JvmOverloads
@Throws(LeanException::class)
fun validate(input: NewSpecialPayment, idempotencyKey: String? = null) = check { NativeOperation.createSpecialPayment(input, idempotencyKey) }

/**
 * Checks form fields held as a map (API camelCase names; amounts as BigDecimal or text) for
 * [operation] (`createCustomer`, `createGig`, `createSpecialPayment`, `updateCustomer`).
 */
@JvmOverloads
@Throws(LeanException::class)
fun validate(operation: String, input: Map<String, Any?>, partnerUserId: String? = null) {
    val call = buildMap {
        put("operation", operation)
        put("input", input)
        if (partnerUserId != null) put("partnerUserId", partnerUserId)
    }
    check { NativeOperation.fromJson(Json.write(call)) }
}

/** Throws the validation error of the operation [build] makes, if any. */
private fun check(build: () -> NativeOperation) = native(build).close()
