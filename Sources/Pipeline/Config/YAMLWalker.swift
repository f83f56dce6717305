import Foundation
import Yams

/// Walks a composed YAML tree (Yams `Node`s keep their source marks) and turns each value
/// into a typed setting, recording a problem with file, line and key for every value it
/// cannot use. Decoding with `Codable` would stop at the first error and lose line numbers.
struct YAMLWalker {
    let display: String
    let problems: ProblemCollector

    func location(_ node: Node?) -> ConfigLocation {
        ConfigLocation(file: display, line: node?.mark?.line, column: node?.mark?.column)
    }

    /// Composes `text`; a syntax error becomes a problem at its mark.
    ///
    /// With the basic resolver every scalar stays text: this walker types values itself
    /// (`int`, `bool`, `duration`, ...), and Yams would otherwise run its regular expressions
    /// on every key while checking for duplicates, most of the time a 2,000-feed list takes.
    func compose(_ text: String) -> Node? {
        do {
            return try Yams.compose(yaml: text, .basic)
        } catch let error as YamlError {
            let (mark, message) = Self.describe(error)
            problems.add(.syntax, ConfigLocation(file: display, line: mark?.line, column: mark?.column), "",
                         "YAML syntax error: \(message)")
        } catch {
            problems.add(.syntax, ConfigLocation(file: display), "", "YAML syntax error: \(error)")
        }
        return nil
    }

    private static func describe(_ error: YamlError) -> (Mark?, String) {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            let ctx = context.map { "\($0.text) " } ?? ""
            return (mark, "\(ctx)\(problem)".trimmingCharacters(in: .whitespaces))
        case let .duplicatedKeysInMapping(duplicates, context):
            return (context.mark, "duplicate key \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) in mapping")
        case let .reader(problem, _, _, _):
            return (nil, problem)
        default:
            return (nil, "\(error)")
        }
    }

    static func isNull(_ node: Node) -> Bool {
        guard case let .scalar(s) = node, s.style == .plain || s.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(s.string)
    }

    // MARK: Mappings

    /// The mapping's entries by key, after reporting unknown keys (with a suggestion) and
    /// non-string keys. `nil` (with a problem) when `node` is not a mapping.
    func fields(_ node: Node, at path: String, known: [String], what: String = "a mapping") -> Fields? {
        guard case let .mapping(mapping) = node else {
            problems.add(.wrongType, location(node), path, "expected \(what), got \(describeKind(node))")
            return nil
        }
        var entries: [String: (key: Node, value: Node)] = [:]
        for (key, value) in mapping {
            guard case let .scalar(k) = key else {
                problems.add(.wrongType, location(key), path, "keys must be plain words")
                continue
            }
            let keyPath = path.isEmpty ? k.string : "\(path).\(k.string)"
            guard known.contains(k.string) else {
                problems.add(.unknownKey, location(key), keyPath,
                             "unknown key '\(k.string)'\(Suggestion.hint(for: k.string, in: known))")
                continue
            }
            entries[k.string] = (key, value)
        }
        return Fields(path: path, entries: entries, node: node)
    }

    struct Fields {
        let path: String
        let entries: [String: (key: Node, value: Node)]
        let node: Node

        func keyPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

        /// The value node, treating an explicit `null` (`key:` with nothing after it) as absent.
        subscript(_ key: String) -> Node? {
            guard let value = entries[key]?.value, !YAMLWalker.isNull(value) else { return nil }
            return value
        }
    }

    func describeKind(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case let .scalar(s):
            if YAMLWalker.isNull(node) { return "nothing" }
            guard s.style == .plain || s.style == .any else { return "'\(s.string)'" }
            if ["true", "false", "yes", "no", "on", "off"].contains(s.string.lowercased()) { return "a boolean '\(s.string)'" }
            if Double(s.string) != nil { return "a number '\(s.string)'" }
            return "'\(s.string)'"
        }
    }

    // MARK: Scalars

    func string(_ f: Fields, _ key: String) -> String? {
        guard let node = f[key] else { return nil }
        guard case let .scalar(s) = node else {
            problems.add(.wrongType, location(node), f.keyPath(key), "expected text, got \(describeKind(node))")
            return nil
        }
        return s.string
    }

    func int(_ f: Fields, _ key: String, min: Int = Int.min, max: Int = Int.max) -> Int? {
        guard let node = f[key] else { return nil }
        guard case let .scalar(s) = node, let value = Int(s.string.replacingOccurrences(of: "_", with: "")) else {
            problems.add(.wrongType, location(node), f.keyPath(key), "expected a whole number, got \(describeKind(node))")
            return nil
        }
        guard value >= min, value <= max else {
            let range = max == Int.max ? "at least \(min)" : "between \(min) and \(max)"
            problems.add(.badValue, location(node), f.keyPath(key), "\(value) is out of range (must be \(range))")
            return nil
        }
        return value
    }

    func bool(_ f: Fields, _ key: String) -> Bool? {
        guard let node = f[key] else { return nil }
        if case let .scalar(s) = node {
            switch s.string.lowercased() {
            case "true", "yes", "on": return true
            case "false", "no", "off": return false
            default: break
            }
        }
        problems.add(.wrongType, location(node), f.keyPath(key), "expected true or false, got \(describeKind(node))")
        return nil
    }

    func duration(_ f: Fields, _ key: String, allowZero: Bool = false) -> TimeInterval? {
        guard let node = f[key] else { return nil }
        guard case let .scalar(s) = node else {
            problems.add(.wrongType, location(node), f.keyPath(key), "expected a duration such as 90s, 15m or 1h, got \(describeKind(node))")
            return nil
        }
        return durationValue(s.string, node: node, keyPath: f.keyPath(key), allowZero: allowZero)
    }

    func durationValue(_ text: String, node: Node?, keyPath: String, allowZero: Bool = false) -> TimeInterval? {
        guard let value = ConfigDuration.parse(text), allowZero || value > 0 else {
            problems.add(.badDuration, location(node), keyPath,
                         "bad duration '\(text)' (use e.g. 90s, 15m, 1h or 1h30m\(allowZero ? "" : "; must be more than zero"))")
            return nil
        }
        return value
    }

    func byteSize(_ f: Fields, _ key: String) -> Int? {
        guard let node = f[key] else { return nil }
        guard case let .scalar(s) = node, let value = ConfigByteSize.parse(s.string), value > 0 else {
            problems.add(.badSize, location(node), f.keyPath(key),
                         "bad size \(describeKind(node)) (use e.g. 20MB, 512KiB or a number of bytes)")
            return nil
        }
        return value
    }

    func enumValue<E: RawRepresentable & CaseIterable>(_ f: Fields, _ key: String, _: E.Type) -> E? where E.RawValue == String {
        guard let text = string(f, key) else { return nil }
        return enumValue(text, node: f[key], keyPath: f.keyPath(key), E.self)
    }

    func enumValue<E: RawRepresentable & CaseIterable>(_ text: String, node: Node?, keyPath: String, _: E.Type) -> E? where E.RawValue == String {
        if let value = E(rawValue: text.lowercased()) { return value }
        let allowed = E.allCases.map(\.rawValue)
        problems.add(.badEnum, location(node), keyPath,
                     "bad value '\(text)' (one of: \(allowed.joined(separator: ", ")))\(Suggestion.hint(for: text, in: allowed))")
        return nil
    }

    func timeZone(_ f: Fields, _ key: String) -> String? {
        guard let text = string(f, key) else { return nil }
        guard ConfigChecks.isTimeZone(text) else {
            problems.add(.badTimeZone, location(f[key]), f.keyPath(key),
                         ConfigChecks.timeZoneMessage(text))
            return nil
        }
        return text
    }

    func language(_ f: Fields, _ key: String) -> String? {
        guard let text = string(f, key) else { return nil }
        guard ConfigChecks.isLanguageTag(text) else {
            problems.add(.badLanguage, location(f[key]), f.keyPath(key),
                         "bad language tag '\(text)' (use BCP 47, e.g. zh-Hans, zh-Hant, en)")
            return nil
        }
        return text
    }

    /// A list of strings; a single string is accepted as a one-element list.
    func stringList(_ f: Fields, _ key: String) -> [(String, Node)]? {
        guard let node = f[key] else { return nil }
        switch node {
        case let .scalar(s): return [(s.string, node)]
        case let .sequence(seq):
            var out: [(String, Node)] = []
            for (i, element) in seq.enumerated() {
                guard case let .scalar(s) = element, !YAMLWalker.isNull(element) else {
                    problems.add(.wrongType, location(element), "\(f.keyPath(key))[\(i)]", "expected text, got \(describeKind(element))")
                    continue
                }
                out.append((s.string, element))
            }
            return out
        default:
            problems.add(.wrongType, location(node), f.keyPath(key), "expected a list, got \(describeKind(node))")
            return nil
        }
    }
}
