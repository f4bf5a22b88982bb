import Foundation

// Form validation with exactly the server's rules, without sending anything and without any
// credential: a sign-up or payout form in an app can show every problem at once, each naming
// the API's field (`firstName`). Each function returns for valid input and throws
// `LeanError` (kind `.validation`, with `fieldErrors`) otherwise. The check is one call into
// the library, cheap enough for every keystroke.

/// Checks a worker's registration form.
public func validate(_ input: NewCustomer) throws {
    _ = try native { try NativeOperation.createCustomer(input: input) }
}

/// Checks changes to a pending worker.
public func validate(partnerUserId: String, update: CustomerUpdate) throws {
    _ = try native { try NativeOperation.updateCustomer(partnerUserId: partnerUserId, update: update) }
}

/// Checks a gig before paying it.
public func validate(_ input: NewGig) throws {
    _ = try native { try NativeOperation.createGig(input: input) }
}

/// Checks a special payment, and its idempotency key when given.
public func validate(_ input: NewSpecialPayment, idempotencyKey: String? = nil) throws {
    _ = try native { try NativeOperation.createSpecialPayment(input: input, idempotencyKey: idempotencyKey) }
}

/// Checks form fields held as a dictionary (the API's camelCase names; amounts as `Decimal`
/// or text) for `operation` (`createCustomer`, `createGig`, `createSpecialPayment`,
/// `updateCustomer`).
public func validate(operation: String, input: [String: Any?], partnerUserId: String? = nil) throws {
    var call: [String: Any?] = ["operation": operation, "input": input]
    if let partnerUserId { call["partnerUserId"] = partnerUserId }
    let json = JSONText.write(call)
    _ = try native { try NativeOperation.fromJson(json: json) }
}
