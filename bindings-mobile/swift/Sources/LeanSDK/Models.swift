import Foundation

// The API's objects are the core's own models (Generated/LeanSDKCore.swift), so every field the
// core models is here. Amounts are `Decimal`, never a binary float. Each result keeps the fields
// this SDK does not know in `extra` (JSON text); `json` writes the whole object in the API's
// shape, as the core writes it, so fields newer than this SDK are never lost.

public extension Customer {
    /// The customer in the API's JSON shape, unknown fields included.
    var json: String { get throws { try native { try payoutsJson(outcome: .customer(self)) } } }
}

public extension Application {
    /// The application in the API's JSON shape, unknown fields included.
    var json: String { get throws { try native { try payoutsJson(outcome: .application(self)) } } }
}

public extension Gig {
    /// The gig in the API's JSON shape, unknown fields included.
    var json: String { get throws { try native { try payoutsJson(outcome: .gig(self)) } } }
}

public extension SpecialPayment {
    /// The special payment in the API's JSON shape, unknown fields included.
    var json: String { get throws { try native { try payoutsJson(outcome: .specialPayment(self)) } } }
}
