import Foundation

// The open-banking API's objects: inputs in Swift names (validated by the core with the API's
// rules), results with the fields a caller reads plus `json`, the whole object in the API's
// shape. Amounts are `Decimal`, never a binary float.

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

    /// A beneficiary account to pay into.
    public struct NewDestination: Codable, Hashable, Sendable {
        public var displayName: String
        public var name: String
        public var bankIdentifier: String
        public var iban: String
        public var accountNumber: String?
        public var swiftCode: String?
        public var address: String?
        public var city: String?
        public var country: String?
        public init(displayName: String, name: String, bankIdentifier: String, iban: String,
                    accountNumber: String? = nil, swiftCode: String? = nil, address: String? = nil,
                    city: String? = nil, country: String? = nil) {
            self.displayName = displayName
            self.name = name
            self.bankIdentifier = bankIdentifier
            self.iban = iban
            self.accountNumber = accountNumber
            self.swiftCode = swiftCode
            self.address = address
            self.city = city
            self.country = country
        }

        var json: [String: Any?] {
            ["display_name": displayName, "name": name, "bank_identifier": bankIdentifier, "iban": iban,
             "account_number": accountNumber, "swift_code": swiftCode, "address": address, "city": city,
             "country": country].filter { $0.value != nil }
        }
    }

    /// A customer: Lean's `customerId` and your `appUserId`.
    public struct Customer: Codable, Hashable, Sendable {
        /// Lean's id: pass it to the entity, data and payment calls.
        public var customerId: String
        /// Your own id of the user.
        public var appUserId: String?
        /// The whole object in the API's shape.
        public var json: String
        init(_ c: ObCustomer) { customerId = c.customerId; appUserId = c.appUserId; json = c.json }
    }

    /// One page of customers; `json` holds the page with its paging fields.
    public struct CustomerPage: Codable, Hashable, Sendable {
        public var customers: [Customer]
        public var json: String
    }

    /// What a connected entity lets the application read.
    public struct Permissions: Codable, Hashable, Sendable {
        public var identity: Bool?
        public var accounts: Bool?
        public var balance: Bool?
        public var transactions: Bool?
    }

    /// A customer's connection to one bank: pass `id` to the data calls.
    public struct Entity: Codable, Hashable, Sendable {
        public var id: String
        public var customerId: String?
        public var bankIdentifier: String?
        public var permissions: Permissions?
        public var json: String
        init(_ e: ObEntity) {
            id = e.id
            customerId = e.customerId
            bankIdentifier = e.bankIdentifier
            permissions = e.permissions.map {
                Permissions(identity: $0.identity, accounts: $0.accounts, balance: $0.balance, transactions: $0.transactions)
            }
            json = e.json
        }
    }

    /// A data answer. With `async: true` the bank's answer is not ready yet: `isPending` is
    /// true and `resultsId` is what to pass to `getDataResults` once the `results.ready` webhook
    /// names it. A `FAILED` answer is thrown (`apiCode == "FAILED"`), never returned.
    public struct DataResult: Codable, Hashable, Sendable {
        /// `OK` or `PENDING`.
        public var status: String
        /// The data as JSON text when `OK`; its shape depends on the call (amounts exact).
        public var payloadJson: String?
        /// The id for `getDataResults`, while `PENDING`.
        public var resultsId: String?
        /// Lean's explanation.
        public var message: String?
        /// When Lean answered, as sent.
        public var timestamp: String?
        /// The whole answer in the API's shape.
        public var json: String
        /// True until the results are ready.
        public var isPending: Bool { status == "PENDING" }
        init(_ d: ObDataResult) {
            status = d.status
            payloadJson = d.payloadJson
            resultsId = d.resultsId
            message = d.message
            timestamp = d.timestamp
            json = d.json
        }
    }

    /// A saved payment destination.
    public struct Destination: Codable, Hashable, Sendable {
        /// Pass it as `NewPaymentIntent.paymentDestinationId`.
        public var id: String?
        public var displayName: String?
        public var name: String?
        public var bankIdentifier: String?
        public var iban: String?
        public var json: String
        init(_ d: ObDestination) {
            id = d.id
            displayName = d.displayName
            name = d.name
            bankIdentifier = d.bankIdentifier
            iban = d.iban
            json = d.json
        }
    }

    /// A payment intent; `amount` is exact.
    public struct PaymentIntent: Codable, Hashable, Sendable {
        /// Lean's id of the intent.
        public var paymentIntentId: String
        /// The paying customer.
        public var customerId: String?
        /// Exact, as the API answered it.
        public var amount: Decimal?
        public var currency: String?
        public var description: String?
        public var paymentDestination: Destination?
        /// The payment attempts, as JSON text each.
        public var paymentsJson: [String]
        public var json: String
        init(_ p: ObPaymentIntent) {
            paymentIntentId = p.paymentIntentId
            customerId = p.customerId
            amount = p.amount.flatMap { Decimal(string: $0, locale: Locale(identifier: "en_US_POSIX")) }
            currency = p.currency
            description = p.description
            paymentDestination = p.paymentDestination.map(Destination.init)
            paymentsJson = p.paymentsJson
            json = p.json
        }
    }

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
        /// For `entity.*`: the entity.
        public var entity: Entity?
        public var payloadJson: String
        public var json: String
        init(_ e: ObWebhookEvent) {
            type = e.eventType
            eventId = e.eventId
            message = e.message
            timestamp = e.timestamp
            resultsId = e.resultsId
            entity = e.entity.map(Entity.init)
            payloadJson = e.payloadJson
            json = e.json
        }
    }
}
