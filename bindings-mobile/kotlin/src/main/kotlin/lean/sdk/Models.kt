package lean.sdk

// The API's objects, generated from the library's records (every field of the core's structs).
// Amounts are BigDecimal, never a binary float. Each result keeps `json`, the whole object in
// the API's shape, so fields newer than this SDK are never lost.

/** A worker to register. */
typealias NewCustomer = lean.sdk.ffi.NewCustomer
/** Changes to a pending customer; `null` keeps a field. */
typealias CustomerUpdate = lean.sdk.ffi.CustomerUpdate
/** A gig to pay. */
typealias NewGig = lean.sdk.ffi.NewGig
/** A payment outside a gig. */
typealias NewSpecialPayment = lean.sdk.ffi.NewSpecialPayment
/** A customer as the API returns it. */
typealias Customer = lean.sdk.ffi.Customer
/** A sandbox application as the API returns it. */
typealias Application = lean.sdk.ffi.Application
/** A gig as the API returns it. */
typealias Gig = lean.sdk.ffi.Gig
/** A special payment as the API returns it. */
typealias SpecialPayment = lean.sdk.ffi.SpecialPayment
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
