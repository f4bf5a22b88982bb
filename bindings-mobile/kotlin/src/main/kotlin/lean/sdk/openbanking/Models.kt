package lean.sdk.openbanking

import java.math.BigDecimal
import lean.sdk.ffi.core.ObBank
import lean.sdk.ffi.core.ObCustomer
import lean.sdk.ffi.core.ObDataPage
import lean.sdk.ffi.core.ObDataResult
import lean.sdk.ffi.core.ObDestination
import lean.sdk.ffi.core.ObEntity
import lean.sdk.ffi.core.ObGovernmentIdentifier
import lean.sdk.ffi.core.ObPayment
import lean.sdk.ffi.core.ObPaymentIntent
import lean.sdk.ffi.core.ObPermissions
import lean.sdk.ffi.core.ObOutcome
import lean.sdk.ffi.obBankJson
import lean.sdk.ffi.obDataRecords
import lean.sdk.ffi.obJson

// The open-banking API's objects. Inputs use Kotlin names and are validated by the core with
// the API's rules; results are the core's own models (lean.sdk.ffi.core), with the fields this
// SDK does not know in `extra` (JSON text) and `json`: the whole object in the API's shape, as
// the core writes it, so fields newer than this SDK are never lost. Amounts are BigDecimal,
// never a binary float.

/**
 * A government identifier of a customer, sent when creating it.
 *
 * @property type the kind; only `EMIRATES_ID` is documented (others are sent upper-cased).
 * @property value the number as printed on the document.
 */
data class GovernmentIdentifier(val type: String, val value: String)

/**
 * A customer to create.
 *
 * @property appUserId your own id of the user, unique per application: creating it again
 *   returns the existing customer, so a retried create is safe.
 * @property governmentIdentifiers optional identity documents.
 */
data class NewCustomer @JvmOverloads constructor(
    val appUserId: String,
    val governmentIdentifiers: List<GovernmentIdentifier> = emptyList(),
) {
    internal fun json(): Map<String, Any?> = buildMap {
        put("app_user_id", appUserId)
        if (governmentIdentifiers.isNotEmpty()) {
            put("government_identifiers", governmentIdentifiers.map { mapOf("type" to it.type, "value" to it.value) })
        }
    }
}

/**
 * What the customer is asked to pay.
 *
 * @property amount exact, positive, at most two decimals.
 * @property currency ISO 4217, three letters (`AED`, `SAR`).
 * @property paymentDestinationId where the money goes, if not the default destination.
 */
data class NewPaymentIntent @JvmOverloads constructor(
    val customerId: String,
    val amount: BigDecimal,
    val currency: String,
    val description: String? = null,
    val paymentDestinationId: String? = null,
    val purposeCode: String? = null,
) {
    internal fun json(): Map<String, Any?> = buildMap {
        put("customer_id", customerId)
        put("amount", amount)
        put("currency", currency)
        description?.let { put("description", it) }
        paymentDestinationId?.let { put("payment_destination_id", it) }
        purposeCode?.let { put("purpose_code", it) }
    }
}

/**
 * A beneficiary account to pay into.
 *
 * @property displayName the name shown to the customer.
 * @property name the account holder.
 * @property bankIdentifier Lean's code of the bank; optional, since the IBAN names the bank.
 * @property iban checked by the core before anything is sent.
 * @property bankType `RETAIL` or `CORPORATE` (sent upper case).
 * @property governmentIdentifier the account holder's identity document, which Lean's own
 *   example sends.
 */
data class NewDestination @JvmOverloads constructor(
    val displayName: String,
    val name: String,
    val bankIdentifier: String? = null,
    val iban: String,
    val accountNumber: String? = null,
    val swiftCode: String? = null,
    val address: String? = null,
    val city: String? = null,
    val country: String? = null,
    val bankType: String? = null,
    val governmentIdentifier: GovernmentIdentifier? = null,
) {
    internal fun json(): Map<String, Any?> = buildMap {
        put("display_name", displayName)
        put("name", name)
        bankIdentifier?.let { put("bank_identifier", it) }
        put("iban", iban)
        accountNumber?.let { put("account_number", it) }
        swiftCode?.let { put("swift_code", it) }
        address?.let { put("address", it) }
        city?.let { put("city", it) }
        country?.let { put("country", it) }
        bankType?.let { put("bank_type", it) }
        governmentIdentifier?.let { put("government_identifier", mapOf("type" to it.type, "value" to it.value)) }
    }
}

/**
 * A customer: [ObCustomer.customerId] is Lean's id (pass it to the entity, data and payment
 * calls), [ObCustomer.appUserId] your own id of the user, [ObCustomer.json] the whole object.
 */
typealias Customer = ObCustomer

/**
 * One page of customers.
 *
 * @property json the page in the API's shape, with its paging fields (totals, page number).
 */
data class CustomerPage(val customers: List<Customer>, val json: String)

/** What a connected entity lets the application read. */
typealias Permissions = ObPermissions

/** A customer's connection to one bank: pass [ObEntity.id] to the data calls. */
typealias Entity = ObEntity

/**
 * A data answer (identity, accounts, balance, transactions). With `async = true` the bank's
 * answer is not ready yet: [isPending] is true and [ObDataResult.resultsId] is what to pass to
 * `getDataResults` once the `results.ready` webhook names it. A `FAILED` answer is thrown
 * (`OtherApiException` with `apiCode == "FAILED"`), never returned.
 */
typealias DataResult = ObDataResult

/** True until the results are ready. */
val DataResult.isPending: Boolean get() = status == "PENDING"

/** A saved payment destination: pass [ObDestination.id] as [NewPaymentIntent.paymentDestinationId]. */
typealias Destination = ObDestination

/** The government identifier a [Destination] carries: [ObGovernmentIdentifier.kind] is the wire's `type`. */
typealias DestinationGovernmentIdentifier = ObGovernmentIdentifier

/**
 * One page of a data v2 read ([OpenBankingClient.listAccounts] and the other `list...` reads of
 * an entity's data): [ObDataPage.recordsJson] holds each record as JSON text (Lean does not
 * document their fields; amounts are strings of their exact text, never binary floats),
 * [ObDataPage.json] the whole page with its paging fields.
 */
typealias DataPage = ObDataPage

/** A payment intent: what the customer is asked to pay (an exact amount), and the attempts to pay it. */
typealias PaymentIntent = ObPaymentIntent

/** A bank Lean supports: [ObBank.identifier] is the `bank_identifier` entities and destinations name. */
typealias Bank = ObBank

/** A payment made against an intent: an exact amount and the API's status text. */
typealias Payment = ObPayment

/** The customer in the API's JSON shape, unknown fields included (the core writes it). */
val ObCustomer.json: String get() = obJson(ObOutcome.Customer(this))
/** The entity in the API's JSON shape, unknown fields included. */
val ObEntity.json: String get() = obJson(ObOutcome.Entity(this))
/** The data answer in the API's JSON shape, unknown fields included. */
val ObDataResult.json: String get() = obJson(ObOutcome.Data(this))
/** The destination in the API's JSON shape, unknown fields included. */
val ObDestination.json: String get() = obJson(ObOutcome.Destination(this))
/** The page in the API's JSON shape, paging fields included. */
val ObDataPage.json: String get() = obJson(ObOutcome.DataPage(this))
/** Each record of the page's `data` as JSON text, when it is an array (as Lean sends it). */
val ObDataPage.recordsJson: List<String> get() = obDataRecords(this)
/** The payment intent in the API's JSON shape, unknown fields included. */
val ObPaymentIntent.json: String get() = obJson(ObOutcome.PaymentIntent(this))
/** The bank in the API's JSON shape, unknown fields included. */
val ObBank.json: String get() = obBankJson(this)
/** The payment in the API's JSON shape, unknown fields included. */
val ObPayment.json: String get() = obJson(ObOutcome.Payment(this))

/**
 * The result of [OpenBankingClient.execute]: [value] is the typed result ([Customer],
 * [CustomerPage], [Entity], `List<Entity>`, [DataResult], [PaymentIntent],
 * `List<PaymentIntent>`, [Destination], `List<Destination>`, `List<Bank>`, [Payment],
 * [DataPage], [DataRefresh] or `List<DataRefresh>`), [json] the same in the API's JSON shape.
 */
data class OpenBankingResult(val value: Any, val json: String)
