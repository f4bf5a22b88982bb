import Foundation

// The open-banking API's objects: inputs in Swift names (validated by the core with the API's
// rules); results are the core's own models (Generated/LeanSDKCore.swift, `Codable`), with the
// fields this SDK does not know in `extra` (JSON text) and `json`, the whole object in the
// API's shape as the core writes it. Amounts are `Decimal`, never a binary float.

extension OpenBanking {
    /// A government identifier of a customer; only `EMIRATES_ID` is documented.
    public struct GovernmentIdentifier: Codable, Hashable, Sendable {
        /// The kind; only `EMIRATES_ID` is documented (others are sent upper-cased).
        public var type: String
        /// The number as printed on the document.
        public var value: String
        public init(type: String, value: String) { self.type = type; self.value = value }
    }

    /// A customer to create: `appUserId` is your own id of the user, unique per application.
    public struct NewCustomer: Codable, Hashable, Sendable {
        public var appUserId: String
        public var governmentIdentifiers: [GovernmentIdentifier]
        public init(appUserId: String, governmentIdentifiers: [GovernmentIdentifier] = []) {
            self.appUserId = appUserId
            self.governmentIdentifiers = governmentIdentifiers
        }

        var json: [String: Any?] {
            var out: [String: Any?] = ["app_user_id": appUserId]
            if !governmentIdentifiers.isEmpty {
                out["government_identifiers"] = governmentIdentifiers.map { ["type": $0.type, "value": $0.value] }
            }
            return out
        }
    }

    /// What the customer is asked to pay: an exact `amount` in `currency` (three letters).
    public struct NewPaymentIntent: Codable, Hashable, Sendable {
        public var customerId: String
        public var amount: Decimal
        public var currency: String
        public var description: String?
        public var paymentDestinationId: String?
        public var purposeCode: String?
        public init(customerId: String, amount: Decimal, currency: String, description: String? = nil,
                    paymentDestinationId: String? = nil, purposeCode: String? = nil) {
            self.customerId = customerId
            self.amount = amount
            self.currency = currency
            self.description = description
            self.paymentDestinationId = paymentDestinationId
            self.purposeCode = purposeCode
        }

        var json: [String: Any?] {
            ["customer_id": customerId, "amount": amount, "currency": currency, "description": description,
             "payment_destination_id": paymentDestinationId, "purpose_code": purposeCode].filter { $0.value != nil }
        }
    }

    /// A beneficiary account to pay into. `bankIdentifier` is optional (the IBAN names the
    /// bank); Lean's own example sends `bankType` (`RETAIL`, `CORPORATE`) and the holder's
    /// `governmentIdentifier` instead.
    public struct NewDestination: Codable, Hashable, Sendable {
        public var displayName: String
        public var name: String
        public var bankIdentifier: String?
        public var iban: String
        public var accountNumber: String?
        public var swiftCode: String?
        public var address: String?
        public var city: String?
        public var country: String?
        public var bankType: String?
        public var governmentIdentifier: GovernmentIdentifier?
        public init(displayName: String, name: String, bankIdentifier: String? = nil, iban: String,
                    accountNumber: String? = nil, swiftCode: String? = nil, address: String? = nil,
                    city: String? = nil, country: String? = nil, bankType: String? = nil,
                    governmentIdentifier: GovernmentIdentifier? = nil) {
            self.displayName = displayName
            self.name = name
            self.bankIdentifier = bankIdentifier
            self.iban = iban
            self.accountNumber = accountNumber
            self.swiftCode = swiftCode
            self.address = address
            self.city = city
            self.country = country
            self.bankType = bankType
            self.governmentIdentifier = governmentIdentifier
        }

        var json: [String: Any?] {
            let identifier: [String: Any?]? = governmentIdentifier.map { ["type": $0.type, "value": $0.value] }
            let fields: [String: Any?] = [
                "display_name": displayName, "name": name, "bank_identifier": bankIdentifier, "iban": iban,
                "account_number": accountNumber, "swift_code": swiftCode, "address": address, "city": city,
                "country": country, "bank_type": bankType, "government_identifier": identifier,
            ]
            return fields.filter { $0.value != nil }
        }
    }

    /// A customer: Lean's `customerId` (pass it to the entity, data and payment calls) and your
    /// `appUserId`.
    public typealias Customer = ObCustomer

    /// One page of customers; `json` holds the page with its paging fields.
    public struct CustomerPage: Codable, Hashable, Sendable {
        public var customers: [Customer]
        public var json: String
    }

    /// What a connected entity lets the application read.
    public typealias Permissions = ObPermissions

    /// A customer's connection to one bank: pass `id` to the data calls.
    public typealias Entity = ObEntity

    /// A data answer. With `async: true` the bank's answer is not ready yet: `isPending` is
    /// true and `resultsId` is what to pass to `getDataResults` once the `results.ready` webhook
    /// names it. A `FAILED` answer is thrown (`apiCode == "FAILED"`), never returned.
    public typealias DataResult = ObDataResult

    /// A saved payment destination: pass `id` as `NewPaymentIntent.paymentDestinationId`.
    public typealias Destination = ObDestination

    /// The government identifier a `Destination` carries: `kind` is the wire's `type`.
    public typealias DestinationGovernmentIdentifier = ObGovernmentIdentifier

    /// One page of a data v2 read (`listAccounts` and the other `list...` reads of an entity's
    /// data): `recordsJson` holds each record as JSON text (Lean does not document their
    /// fields; amounts are strings of their exact text, never binary floats), `json` the whole
    /// page with its paging fields.
    public typealias DataPage = ObDataPage

    /// A payment intent; `amount` is exact.
    public typealias PaymentIntent = ObPaymentIntent

    /// A bank Lean supports: `identifier` is the `bank_identifier` entities and destinations name.
    public typealias Bank = ObBank

    /// A payment made against an intent; `amount` is exact, `status` the API's text.
    public typealias Payment = ObPayment

    /// The payload of `payment_intent.created`: `intentId`, an exact `amount`, the status.
    public typealias PaymentIntentCreated = ObPaymentIntentCreated

    /// The payload of `payment_source.created` and `payment_source.beneficiary.created`.
    public typealias PaymentSource = ObPaymentSource

    /// The payload of `entity.data.refresh.updated`: what a refresh could read, `OK` or
    /// `UNSUPPORTED` each.
    public typealias DataRefresh = ObDataRefresh

    /// One account of a `DataRefresh`.
    public typealias AccountDataStatus = ObAccountDataStatus

    /// The payload of `bank.availability.updated` (KSA): what is turned on (`enabled`) and
    /// working (`active`).
    public typealias BankAvailability = ObBankAvailability

    /// Payments and data of a `BankAvailability`, each on or off.
    public typealias BankServices = ObServices

    /// A verified open-banking webhook. De-duplicate on `eventId`: Lean sends the same event
    /// again (same id) until a receiver answers HTTP 200.
    public struct Event: Codable, Hashable, Sendable {
        /// `results.ready`, `entity.created`, ..., or a type this SDK does not know, as sent.
        public var type: String
        public var eventId: String?
        public var message: String?
        public var timestamp: String?
        /// For `results.ready`: pass it to `getDataResults`.
        public var resultsId: String?
        /// For `entity.created`: the entity.
        public var entity: Entity?
        /// For `payment.created` and `payment.updated`: the payment (exact amount, status as sent).
        public var payment: Payment?
        /// For `payment_intent.created`.
        public var paymentIntent: PaymentIntentCreated?
        /// For `payment_source.created` and `payment_source.beneficiary.created`.
        public var paymentSource: PaymentSource?
        /// For `entity.data.refresh.updated`.
        public var dataRefresh: DataRefresh?
        /// For `bank.availability.updated`.
        public var bankAvailability: BankAvailability?
        public var payloadJson: String
        public var json: String
        init(_ e: ObWebhookEvent) {
            type = e.eventType
            eventId = e.eventId
            message = e.message
            timestamp = e.timestamp
            resultsId = e.resultsId
            entity = e.entity
            payment = e.payment
            paymentIntent = e.paymentIntent
            paymentSource = e.paymentSource
            dataRefresh = e.dataRefresh
            bankAvailability = e.bankAvailability
            payloadJson = e.payloadJson
            json = e.json
        }
    }
}

extension ObDataResult {
    /// True until the results are ready.
    public var isPending: Bool { status == "PENDING" }
}

extension ObCustomer {
    /// The customer in the API's JSON shape, unknown fields included.
    public var json: String { get throws { try native { try obJson(outcome: .customer(self)) } } }
}

extension ObEntity {
    /// The entity in the API's JSON shape, unknown fields included.
    public var json: String { get throws { try native { try obJson(outcome: .entity(self)) } } }
}

extension ObDataResult {
    /// The data answer in the API's JSON shape, unknown fields included.
    public var json: String { get throws { try native { try obJson(outcome: .data(self)) } } }
}

extension ObDestination {
    /// The destination in the API's JSON shape, unknown fields included.
    public var json: String { get throws { try native { try obJson(outcome: .destination(self)) } } }
}

extension ObDataPage {
    /// The page in the API's JSON shape, paging fields included.
    public var json: String { get throws { try native { try obJson(outcome: .dataPage(self)) } } }
    /// Each record of the page's `data` as JSON text, when it is an array (as Lean sends it).
    public var recordsJson: [String] { get throws { try native { try obDataRecords(page: self) } } }
}

extension ObPaymentIntent {
    /// The payment intent in the API's JSON shape, unknown fields included.
    public var json: String { get throws { try native { try obJson(outcome: .paymentIntent(self)) } } }
}

extension ObBank {
    /// The bank in the API's JSON shape, unknown fields included.
    public var json: String { get throws { try native { try obBankJson(bank: self) } } }
}

extension ObPayment {
    /// The payment in the API's JSON shape, unknown fields included.
    public var json: String { get throws { try native { try obJson(outcome: .payment(self)) } } }
}

extension ObDataRefresh {
    /// The refresh in the API's JSON shape, unknown fields included.
    public var json: String { get throws { try native { try obJson(outcome: .dataRefresh(self)) } } }
    /// The account list: `OK` or `UNSUPPORTED`.
    public var accounts: String? { dataStatus?.accounts }
    /// Identity: `OK` or `UNSUPPORTED`.
    public var identity: String? { dataStatus?.identity }
    /// Per account.
    public var accountData: [ObAccountDataStatus] { dataStatus?.accountData ?? [] }
}

extension ObBankAvailability {
    /// The payload in the API's JSON shape, unknown fields included.
    public var json: String { get throws { try native { try obPayloadJson(payload: .bankAvailability(value: self)) } } }
    /// What works now.
    public var active: ObServices? { availability?.active }
    /// What is turned on for the application.
    public var enabled: ObServices? { availability?.enabled }
}

extension ObPaymentIntentCreated {
    /// The payload in the API's JSON shape, unknown fields included.
    public var json: String { get throws { try native { try obPayloadJson(payload: .paymentIntent(value: self)) } } }
}

extension ObPaymentSource {
    /// The payload in the API's JSON shape, unknown fields included.
    public var json: String { get throws { try native { try obPayloadJson(payload: .paymentSource(value: self)) } } }
}
