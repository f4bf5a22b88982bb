import Foundation
import XCTest
@testable import LeanSDK

/// In an app (iOS, emulated here), a client built with a partner secret refuses to start.
final class DeviceSecretsTests: XCTestCase {
    override func setUp() { Device.isApp = true }
    override func tearDown() { Device.isApp = false }

    func testThePayoutsApiKeyIsRefusedWithTheBackendPatternAndTheOptInNamed() throws {
        XCTAssertThrowsError(try LeanClient(apiKey: "sk_device_key")) { error in
            let e = error as? LeanError
            XCTAssertEqual(e?.code, "configuration")
            let message = e?.message ?? ""
            for part in ["the payouts API key", "your backend", "dangerouslyAllowSecretsOnDevice: true"] {
                XCTAssertTrue(message.contains(part), "\(part) missing from: \(message)")
            }
            XCTAssertFalse(message.contains("sk_device_key"))
        }
        XCTAssertNoThrow(try LeanClient(apiKey: "sk_device_key", dangerouslyAllowSecretsOnDevice: true))
    }

    func testTheClientSecretIsRefusedTheAppTokenIsNot() throws {
        let env = try OpenBanking.Environment.custom("http://127.0.0.1:9", tokenBaseUrl: "http://127.0.0.1:9")
        XCTAssertThrowsError(try OpenBankingClient(auth: .clientCredentials(clientId: "id", clientSecret: "on-device"),
                                                   environment: env)) {
            XCTAssertTrue(($0 as? LeanError)?.message.contains("the open-banking client secret") ?? false, "\($0)")
        }
        XCTAssertNoThrow(try OpenBankingClient(auth: .clientCredentials(clientId: "id", clientSecret: "s"),
                                               environment: env, dangerouslyAllowSecretsOnDevice: true))
        XCTAssertNoThrow(try OpenBankingClient(auth: .appToken("app-token")))
    }

    func testWhatAnAppNeedsWorksWithoutAnySecret() throws {
        let gig = NewGig(partnerUserId: "uid_1", totalAmount: Decimal(string: "15.00")!, tips: 3, expenses: 2,
                         description: "Gig", gigId: "g1", startTime: "2021-03-01T21:04:04",
                         endTime: "2021-03-01T21:31:05")
        XCTAssertNoThrow(try validate(gig))
        var inconsistent = gig
        inconsistent.totalAmount = Decimal(string: "1.00")!
        XCTAssertThrowsError(try validate(inconsistent)) { error in
            XCTAssertEqual((error as? LeanError)?.code, "validation", "\(error)")
        }
        XCTAssertThrowsError(try validate(operation: "createCustomer", input: ["firstName": ""])) { error in
            let fields = (error as? LeanError)?.fieldErrors.map(\.field) ?? []
            XCTAssertTrue(fields.contains("firstName"), "\(fields)")
        }
    }
}
