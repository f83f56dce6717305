import Foundation

/// A JSON Schema (draft 2020-12) validator for the subset of keywords the schemas in
/// `schema/` use. Self-contained (Foundation only) so that other test targets can
/// include this file to validate real `ingest` output.
///
/// Supported: `type` (string or list), `required`, `properties`, `additionalProperties`
/// (boolean or schema), `propertyNames`, `items`, `enum`, `const`, `pattern`, `minLength`,
/// `minimum`, `maximum`, and `format: "date-time"` (asserted, full RFC 3339 check).
/// Annotations (`$schema`, `$id`, `title`, `description`, `$comment`, ...) are ignored.
/// Any other keyword makes `init` throw: a schema that silently ignored a constraint
/// would let bad records pass.
///
/// Usage:
///
///     let v = try JSONSchemaValidator(contentsOf: schemaURL)
///     let errors = v.validate(jsonLine: line)   // [] when valid
struct JSONSchemaValidator {
    struct SchemaError: Error, CustomStringConvertible {
        var description: String
    }

    let schema: [String: Any]
    private let regexes: [String: NSRegularExpression]

    private static let annotations: Set<String> = [
        "$schema", "$id", "$comment", "title", "description", "default", "examples", "deprecated",
        "readOnly", "writeOnly",
    ]
    private static let supported: Set<String> = [
        "type", "required", "properties", "additionalProperties", "propertyNames", "items",
        "enum", "const", "pattern", "minLength", "minimum", "maximum", "format",
    ]

    init(contentsOf url: URL) throws {
        let data = try Data(contentsOf: url)
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw SchemaError(description: "\(url.path): schema is not a JSON object")
        }
        try self.init(schema: object)
    }

    init(schema: [String: Any]) throws {
        self.schema = schema
        var regexes: [String: NSRegularExpression] = [:]
        try Self.check(schema, at: "#", regexes: &regexes)
        self.regexes = regexes
    }

    /// Errors for one line of JSON Lines (the trailing `\n` is allowed); [] when valid.
    func validate(jsonLine: some DataProtocol) -> [String] {
        let data = Data(jsonLine)
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            return ["line is not valid JSON: \(error)"]
        }
        return validate(object)
    }

    /// Errors for a value produced by `JSONSerialization`; [] when valid.
    func validate(_ instance: Any) -> [String] {
        var errors: [String] = []
        validate(instance, against: schema, at: "", errors: &errors)
        return errors
    }

    // MARK: Schema check

    private static func check(_ schema: Any, at path: String, regexes: inout [String: NSRegularExpression]) throws {
        if schema is Bool || (schema as? NSNumber).map(isBoolean) == true { return }
        guard let s = schema as? [String: Any] else {
            throw SchemaError(description: "\(path): a schema must be an object or a boolean")
        }
        for key in s.keys where !annotations.contains(key) && !supported.contains(key) {
            throw SchemaError(description: "\(path): keyword \"\(key)\" is not supported by this validator")
        }
        if let format = s["format"] {
            guard format as? String == "date-time" else {
                throw SchemaError(description: "\(path): format \(format) is not supported")
            }
        }
        if let pattern = s["pattern"] {
            guard let p = pattern as? String else { throw SchemaError(description: "\(path)/pattern: not a string") }
            do { regexes[p] = try NSRegularExpression(pattern: p) } catch {
                throw SchemaError(description: "\(path)/pattern: invalid regular expression \(p)")
            }
        }
        if let props = s["properties"] {
            guard let p = props as? [String: Any] else { throw SchemaError(description: "\(path)/properties: not an object") }
            for (k, v) in p { try check(v, at: "\(path)/properties/\(k)", regexes: &regexes) }
        }
        for key in ["additionalProperties", "propertyNames", "items"] {
            if let sub = s[key] { try check(sub, at: "\(path)/\(key)", regexes: &regexes) }
        }
        if let required = s["required"], !(required is [String]) {
            throw SchemaError(description: "\(path)/required: not a list of strings")
        }
        if let e = s["enum"], !(e is [Any]) {
            throw SchemaError(description: "\(path)/enum: not a list")
        }
    }

    // MARK: Instance validation

    private func validate(_ value: Any, against schema: Any, at path: String, errors: inout [String]) {
        if let b = schema as? NSNumber, Self.isBoolean(b) {
            if !b.boolValue { errors.append("\(display(path)): no value is allowed here") }
            return
        }
        guard let s = schema as? [String: Any] else { return }
        let here = display(path)

        if let t = s["type"] {
            let allowed = (t as? [String]) ?? [(t as? String) ?? ""]
            if !allowed.contains(where: { Self.matches(value, type: $0) }) {
                errors.append("\(here): expected \(allowed.joined(separator: " or ")), found \(Self.typeName(value))")
                return
            }
        }
        if let c = s["const"], !Self.jsonEqual(value, c) {
            errors.append("\(here): must be \(Self.render(c)), found \(Self.render(value))")
        }
        if let e = s["enum"] as? [Any], !e.contains(where: { Self.jsonEqual(value, $0) }) {
            errors.append("\(here): \(Self.render(value)) is not one of \(e.map(Self.render).joined(separator: ", "))")
        }

        if let string = value as? String {
            if let min = (s["minLength"] as? NSNumber)?.intValue, string.unicodeScalars.count < min {
                errors.append("\(here): shorter than \(min) characters")
            }
            if let p = s["pattern"] as? String, let re = regexes[p] {
                let range = NSRange(string.startIndex..., in: string)
                if re.firstMatch(in: string, range: range) == nil {
                    errors.append("\(here): \(Self.render(string)) does not match /\(p)/")
                }
            }
            if s["format"] as? String == "date-time", !Self.isRFC3339DateTime(string) {
                errors.append("\(here): \(Self.render(string)) is not an RFC 3339 date-time")
            }
        }

        if let n = value as? NSNumber, !Self.isBoolean(n) {
            if let min = s["minimum"] as? NSNumber, n.doubleValue < min.doubleValue {
                errors.append("\(here): \(n) is below the minimum \(min)")
            }
            if let max = s["maximum"] as? NSNumber, n.doubleValue > max.doubleValue {
                errors.append("\(here): \(n) is above the maximum \(max)")
            }
        }

        if let object = value as? [String: Any] {
            for key in (s["required"] as? [String]) ?? [] where object[key] == nil {
                errors.append("\(here): missing required key \"\(key)\"")
            }
            let properties = (s["properties"] as? [String: Any]) ?? [:]
            for key in object.keys.sorted() {
                let child = path + "/" + Self.escapePointer(key)
                if let names = s["propertyNames"] {
                    validate(key, against: names, at: child + " (name)", errors: &errors)
                }
                if let sub = properties[key] {
                    validate(object[key]!, against: sub, at: child, errors: &errors)
                } else if let extra = s["additionalProperties"] {
                    if let b = extra as? NSNumber, Self.isBoolean(b), !b.boolValue {
                        errors.append("\(display(child)): key is not allowed")
                    } else {
                        validate(object[key]!, against: extra, at: child, errors: &errors)
                    }
                }
            }
        }

        if let array = value as? [Any], let items = s["items"] {
            for (i, element) in array.enumerated() {
                validate(element, against: items, at: "\(path)/\(i)", errors: &errors)
            }
        }
    }

    private func display(_ path: String) -> String { path.isEmpty ? "/" : path }

    private static func escapePointer(_ key: String) -> String {
        key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    // MARK: JSON values as Foundation returns them

    /// JSONSerialization returns booleans as NSNumber; only their type encoding tells them
    /// apart from the integers 0 and 1.
    static func isBoolean(_ n: NSNumber) -> Bool {
        String(cString: n.objCType) == "c" && (n.intValue == 0 || n.intValue == 1)
            && String(describing: type(of: n)).contains("Bool")
    }

    static func matches(_ value: Any, type: String) -> Bool {
        switch type {
        case "null": return value is NSNull
        case "string": return value is String
        case "object": return value is [String: Any]
        case "array": return value is [Any]
        case "boolean":
            if let n = value as? NSNumber { return isBoolean(n) }
            return false
        case "number":
            if let n = value as? NSNumber { return !isBoolean(n) }
            return false
        case "integer":
            if let n = value as? NSNumber, !isBoolean(n) {
                let d = n.doubleValue
                return d.isFinite && d.rounded() == d
            }
            return false
        default: return false
        }
    }

    static func typeName(_ value: Any) -> String {
        for t in ["null", "string", "object", "array", "boolean", "integer", "number"] where matches(value, type: t) {
            return t
        }
        return "\(Swift.type(of: value))"
    }

    static func jsonEqual(_ a: Any, _ b: Any) -> Bool {
        switch (a, b) {
        case (is NSNull, is NSNull): return true
        case let (x as String, y as String): return x == y
        case let (x as [Any], y as [Any]):
            return x.count == y.count && zip(x, y).allSatisfy { jsonEqual($0, $1) }
        case let (x as [String: Any], y as [String: Any]):
            return x.count == y.count && x.allSatisfy { k, v in y[k].map { jsonEqual(v, $0) } ?? false }
        case let (x as NSNumber, y as NSNumber):
            return isBoolean(x) == isBoolean(y) && x.doubleValue == y.doubleValue
        default: return false
        }
    }

    static func render(_ value: Any) -> String {
        if value is NSNull { return "null" }
        if let s = value as? String { return "\"\(s)\"" }
        if let n = value as? NSNumber { return isBoolean(n) ? (n.boolValue ? "true" : "false") : "\(n)" }
        return "\(value)"
    }

    // MARK: RFC 3339

    /// `full-date "T" full-time` of RFC 3339 section 5.6, with calendar checks (month
    /// lengths, leap years) that a pattern alone cannot express. `t`/`z` are accepted in
    /// lower case as the RFC allows; a leap second is accepted only at 23:59:60 UTC.
    static func isRFC3339DateTime(_ s: String) -> Bool {
        let b = Array(s.utf8)
        func digits(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= b.count else { return nil }
            var v = 0
            for i in from..<(from + count) {
                guard b[i] >= 0x30 && b[i] <= 0x39 else { return nil }
                v = v * 10 + Int(b[i] - 0x30)
            }
            return v
        }
        guard b.count >= 20,
              let year = digits(0, 4), b[4] == 0x2D, let month = digits(5, 2), b[7] == 0x2D,
              let day = digits(8, 2), b[10] == 0x54 || b[10] == 0x74,
              let hour = digits(11, 2), b[13] == 0x3A, let minute = digits(14, 2), b[16] == 0x3A,
              let second = digits(17, 2)
        else { return false }
        guard (1...12).contains(month), hour <= 23, minute <= 59, second <= 60 else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard day >= 1 && day <= monthDays[month - 1] else { return false }

        var i = 19
        if i < b.count, b[i] == 0x2E {
            i += 1
            let start = i
            while i < b.count, b[i] >= 0x30 && b[i] <= 0x39 { i += 1 }
            guard i > start else { return false }
        }
        guard i < b.count else { return false }
        var offsetMinutes = 0
        if b[i] == 0x5A || b[i] == 0x7A {
            i += 1
        } else if b[i] == 0x2B || b[i] == 0x2D {
            guard let oh = digits(i + 1, 2), i + 3 < b.count, b[i + 3] == 0x3A, let om = digits(i + 4, 2),
                  oh <= 23, om <= 59
            else { return false }
            offsetMinutes = (oh * 60 + om) * (b[i] == 0x2D ? -1 : 1)
            i += 6
        } else {
            return false
        }
        guard i == b.count else { return false }
        if second == 60 {
            let utcMinutes = ((hour * 60 + minute - offsetMinutes) % 1440 + 1440) % 1440
            return utcMinutes == 23 * 60 + 59
        }
        return true
    }
}
