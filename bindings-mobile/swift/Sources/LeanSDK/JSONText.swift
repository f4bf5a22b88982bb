import Foundation

/// Writes form values as JSON for the core, which validates them; so the SDK needs no JSON
/// encoder of its own. A `Decimal` is written as exact decimal text; a `Double` or `Float` as
/// a JSON number, which the core refuses for amounts (`invalid_type`) as possibly inexact.
enum JSONText {
    static func write(_ value: Any?) -> String {
        var out = ""
        write(value, into: &out)
        return out
    }

    private static func write(_ value: Any?, into out: inout String) {
        switch value {
        case nil, is NSNull: out += "null"
        case let v as String: string(v, into: &out)
        case let v as Bool: out += v ? "true" : "false"
        case let v as Decimal: string("\(v)", into: &out)
        case let v as Int: out += String(v)
        case let v as Int64: out += String(v)
        case let v as UInt64: out += String(v)
        case let v as Double: if v.isFinite { out += "\(v)" } else { string("\(v)", into: &out) }
        case let v as Float: if v.isFinite { out += "\(v)" } else { string("\(v)", into: &out) }
        case let v as [String: Any?]:
            out += "{"
            for (i, (key, item)) in v.enumerated() {
                if i > 0 { out += "," }
                string(key, into: &out)
                out += ":"
                write(item, into: &out)
            }
            out += "}"
        case let v as [String: Any]:
            write(v.mapValues { Optional($0) } as [String: Any?], into: &out)
        case let v as [Any?]:
            out += "["
            for (i, item) in v.enumerated() {
                if i > 0 { out += "," }
                write(item, into: &out)
            }
            out += "]"
        case let v as [Any]:
            write(v.map { Optional($0) } as [Any?], into: &out)
        case let .some(v): string("\(v)", into: &out)
        }
    }

    private static func string(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
