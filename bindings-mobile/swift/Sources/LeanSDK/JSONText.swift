import Foundation

/// Writes form values as JSON for the core, which validates them. A `Decimal` is written as
/// exact decimal text; a `Double` or `Float` as a JSON number, which the core refuses for
/// amounts (`invalid_type`) because it may be inexact.
enum JSONText {
    static func write(_ value: Any?) -> String {
        let prepared = prepare(value)
        guard let data = try? JSONSerialization.data(withJSONObject: prepared, options: [.fragmentsAllowed]) else {
            return "null"
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Decimals become text, optionals `NSNull`, non-finite numbers text; the rest is left
    /// to JSONSerialization, which keeps numbers as numbers.
    private static func prepare(_ value: Any?) -> Any {
        guard let value else { return NSNull() }
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional {
            return mirror.children.first.map { prepare($0.value) } ?? NSNull()
        }
        switch value {
        case let v as Decimal where type(of: value) == Decimal.self: return "\(v)"
        case let v as Double where type(of: value) == Double.self && !v.isFinite: return "\(v)"
        case let v as [String: Any]: return v.mapValues { prepare($0) }
        case let v as [Any]: return v.map { prepare($0) }
        default: return value
        }
    }
}
