package lean.sdk

import lean.sdk.ffi.NativeOperation

// Form validation with exactly the server's rules, without sending anything: a sign-up or
// payout form can show every problem at once, each naming the API's field (`firstName`).
// Each function returns normally for valid input and throws ValidationException otherwise.

/** Checks a worker's registration form. */
fun validate(input: NewCustomer) {
    val fields = mapOf(
        "firstName" to input.firstName, "middleName" to input.middleName, "lastName" to input.lastName,
        "birthday" to input.birthday, "phoneNumber" to input.phoneNumber, "email" to input.email,
        "street" to input.street, "street2" to input.street2, "city" to input.city, "state" to input.state,
        "postalCode" to input.postalCode, "partnerUserId" to input.partnerUserId,
        "registrationDate" to input.registrationDate,
    ).filterValues { it != null }
    if (!quickCheck("createCustomer", fields)) native { NativeOperation.createCustomer(input) }.close()
}

/** Checks changes to a pending worker. */
fun validate(partnerUserId: String, update: CustomerUpdate) =
    native { NativeOperation.updateCustomer(partnerUserId, update) }.close()

/** Checks a gig before paying it. */
fun validate(input: NewGig) {
    val fields = mapOf(
        "partnerUserId" to input.partnerUserId, "totalAmount" to input.totalAmount, "tips" to input.tips,
        "expenses" to input.expenses, "description" to input.description, "gigId" to input.gigId,
        "startTime" to input.startTime, "endTime" to input.endTime,
    )
    if (!quickCheck("createGig", fields)) native { NativeOperation.createGig(input) }.close()
}

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
    val json = Json.write(call)
    val bytes = json.toByteArray(Charsets.UTF_8)
    if (FastPath.lean_sdk_fast_check(bytes, bytes.size) != 0) native { NativeOperation.fromJson(json) }.close()
}

/**
 * True when the core accepts the input, through the plain C entry point. When it does not,
 * the caller repeats the check through the generated binding, which builds the detailed
 * field errors; valid input, the common case, never pays for that.
 */
private fun quickCheck(operation: String, input: Map<String, Any?>): Boolean {
    val json = Json.write(mapOf("operation" to operation, "input" to input)).toByteArray(Charsets.UTF_8)
    return FastPath.lean_sdk_fast_check(json, json.size) == 0
}
