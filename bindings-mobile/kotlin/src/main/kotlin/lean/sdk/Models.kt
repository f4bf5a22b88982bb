package lean.sdk

// The API's objects: the core's own models (lean.sdk.ffi.core), so every field the core models
// is here. Amounts are BigDecimal, never a binary float. Each result keeps the fields this SDK
// does not know in `extra` (JSON text), and `json` writes the whole object in the API's shape,
// so fields newer than this SDK are never lost.

/** A worker to register. */
typealias NewCustomer = lean.sdk.ffi.core.NewCustomer
/** Changes to a pending customer; `null` keeps a field. */
typealias CustomerUpdate = lean.sdk.ffi.core.CustomerUpdate
/** A gig to pay. */
typealias NewGig = lean.sdk.ffi.core.NewGig
/** A payment outside a gig. */
typealias NewSpecialPayment = lean.sdk.ffi.core.NewSpecialPayment
/** A customer as the API returns it. */
typealias Customer = lean.sdk.ffi.core.Customer
/** A sandbox application as the API returns it. */
typealias Application = lean.sdk.ffi.core.Application
/** A gig as the API returns it. */
typealias Gig = lean.sdk.ffi.core.Gig
/** A special payment as the API returns it. */
typealias SpecialPayment = lean.sdk.ffi.core.SpecialPayment
/** The customer in the API's JSON shape, unknown fields included (the core writes it). */
val Customer.json: String get() = lean.sdk.ffi.payoutsJson(lean.sdk.ffi.core.Outcome.Customer(this))
/** The application in the API's JSON shape, unknown fields included. */
val Application.json: String get() = lean.sdk.ffi.payoutsJson(lean.sdk.ffi.core.Outcome.Application(this))
/** The gig in the API's JSON shape, unknown fields included. */
val Gig.json: String get() = lean.sdk.ffi.payoutsJson(lean.sdk.ffi.core.Outcome.Gig(this))
/** The special payment in the API's JSON shape, unknown fields included. */
val SpecialPayment.json: String get() = lean.sdk.ffi.payoutsJson(lean.sdk.ffi.core.Outcome.SpecialPayment(this))

/** A verified webhook: [WebhookEvent.event] name, typed [WebhookEvent.data], raw `json`. */
typealias WebhookEvent = lean.sdk.ffi.WebhookEvent
/** The object a webhook is about: `Customer`, `Gig`, `SpecialPayment` or `Other` (raw JSON). */
typealias EventData = lean.sdk.ffi.EventData

/** The customer a `customer.*` webhook is about, else null. */
val WebhookEvent.customer: Customer? get() = (data as? lean.sdk.ffi.EventData.Customer)?.value
/** The gig a `gig.*` webhook is about, else null. */
val WebhookEvent.gig: Gig? get() = (data as? lean.sdk.ffi.EventData.Gig)?.value
/** The special payment a `specialpayment.*` webhook is about, else null. */
val WebhookEvent.specialPayment: SpecialPayment? get() = (data as? lean.sdk.ffi.EventData.SpecialPayment)?.value
