import Foundation

/// Writes form values as JSON for the core, which validates them. A `Decimal` is written as
/// exact decimal text. A binary float (`Double`, `Float`, a floating `NSNumber`) is written as
/// a JSON number with a fraction or exponent, even when integral (`15.0`), so that the core
/// refuses it as an amount (`invalid_type`, naming the field) as it does in every host: it
/// may no longer be the amount the caller meant. Written here rather than by
/// `JSONSerialization`, which writes `15.0` as `15` and so hid the float from the core.
enum JSONText {
    static func write(_ value: Any?) -> String {
        var out = ""
        write(value, to: &out)
        return out
    }

    private static func write(_ value: Any?, to out: inout String) {
        guard let value else { out += "null"; return }
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional {
            if let wrapped = mirror.children.first { write(wrapped.value, to: &out) } else { out += "null" }
            return
        }
        switch value {
        case is NSNull: out += "null"
        case let v as String: string(v, to: &out)
        case let v as Bool where type(of: value) == Bool.self: out += v ? "true" : "false"
        case let v as Decimal where type(of: value) == Decimal.self: string("\(v)", to: &out)
        case let v as Double where type(of: value) == Double.self: float(v, to: &out)
        case let v as Float where type(of: value) == Float.self: float(Double(v), to: &out)
        case let v as any BinaryInteger: out += "\(v)"
        case let v as NSNumber:
            let kind = String(cString: v.objCType)
            if kind == "d" || kind == "f" { float(v.doubleValue, to: &out) } else { out += v.stringValue }
        case let v as [String: Any]:
            out += "{"
            for (i, key) in v.keys.sorted().enumerated() {
                if i > 0 { out += "," }
                string(key, to: &out)
                out += ":"
                write(v[key]!, to: &out)
            }
            out += "}"
        case let v as [Any]:
            out += "["
            for (i, item) in v.enumerated() {
                if i > 0 { out += "," }
                write(item, to: &out)
            }
            out += "]"
        default: string("\(value)", to: &out)
        }
    }

    /// A binary float as a JSON number that still shows it is one (`15.0`, `1e+20`);
    /// non-finite values as text, which the core refuses as the wrong type.
    private static func float(_ v: Double, to out: inout String) {
        guard v.isFinite else { string("\(v)", to: &out); return }
        out += "\(v)"
    }

    private static func string(_ s: String, to out: inout String) {
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
