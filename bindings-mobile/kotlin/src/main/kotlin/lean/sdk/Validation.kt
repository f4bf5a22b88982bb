package lean.sdk


// Form validation with exactly the server's rules, without sending anything: a sign-up or
// payout form can show every problem at once, each naming the API's field (`firstName`).
// Each function returns normally for valid input and throws ValidationException otherwise.
// The check is one direct call into the library (no JSON, no generated uniffi call), cheap
// enough for every keystroke.

/** Checks a worker's registration form. */
fun validate(input: NewCustomer) = checkOperation(Args("createCustomer").record(input))

/** Checks changes to a pending worker. */
fun validate(partnerUserId: String, update: CustomerUpdate) =
    checkOperation(Args("updateCustomer").string(partnerUserId).record(update))

/** Checks a gig before paying it. */
fun validate(input: NewGig) = checkOperation(Args("createGig").record(input))

/** Checks a special payment, and its idempotency key when given. */
fun validate(input: NewSpecialPayment, idempotencyKey: String? = null) = checkOperation(
    Args("createSpecialPayment").record(input)
        .optional(idempotencyKey),
)

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
    checkOperation(Args("fromJson").string(Json.write(call)))
}

/** Throws the validation error of the operation in [args], if any. */
private fun checkOperation(args: Args) {
    Jni.check(args.bytes())?.let(Jni::result)
}
