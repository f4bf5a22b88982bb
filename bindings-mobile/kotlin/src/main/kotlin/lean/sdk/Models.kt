package lean.sdk

import java.math.BigDecimal

// The API's objects, generated from the Rust core's records. Amounts are exact decimal text
// (`"12.50"`); the `...Decimal` properties below give them as BigDecimal. Each result keeps
// `json`, the whole object in the API's shape, so fields newer than this SDK are never lost.

/** A worker to register. */
typealias NewCustomer = lean.sdk.ffi.NewCustomer
/** Changes to a pending customer; `null` keeps a field. */
typealias CustomerUpdate = lean.sdk.ffi.CustomerUpdate
/** A gig to pay; amounts as decimal text, or build it with [newGig] from BigDecimals. */
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

/** Builds a [NewGig] from exact amounts, so no binary float ever touches money. */
fun newGig(
    partnerUserId: String,
    totalAmount: BigDecimal,
    tips: BigDecimal,
    expenses: BigDecimal,
    description: String,
    gigId: String,
    startTime: String,
    endTime: String,
): NewGig = NewGig(
    partnerUserId, Json.decimalText(totalAmount), Json.decimalText(tips), Json.decimalText(expenses),
    description, gigId, startTime, endTime,
)

/** The gig's total as an exact decimal. */
val Gig.totalAmountDecimal: BigDecimal? get() = totalAmount?.let(::BigDecimal)
/** The gig's tips as an exact decimal. */
val Gig.tipsDecimal: BigDecimal? get() = tips?.let(::BigDecimal)
/** The gig's expenses as an exact decimal. */
val Gig.expensesDecimal: BigDecimal? get() = expenses?.let(::BigDecimal)
/** The payment's amount as an exact decimal. */
val SpecialPayment.amountDecimal: BigDecimal? get() = amount?.let(::BigDecimal)

/** The customer a `customer.*` webhook is about, else null. */
val WebhookEvent.customer: Customer? get() = (data as? lean.sdk.ffi.EventData.Customer)?.value
/** The gig a `gig.*` webhook is about, else null. */
val WebhookEvent.gig: Gig? get() = (data as? lean.sdk.ffi.EventData.Gig)?.value
/** The special payment a `specialpayment.*` webhook is about, else null. */
val WebhookEvent.specialPayment: SpecialPayment? get() = (data as? lean.sdk.ffi.EventData.SpecialPayment)?.value
