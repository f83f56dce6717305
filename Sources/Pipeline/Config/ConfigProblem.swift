import Foundation

/// Where a setting was written, so that a problem (or a later runtime error about a feed)
/// can point the user at the exact line to fix.
public struct ConfigLocation: Sendable, Hashable, CustomStringConvertible {
    /// The file as shown to the user: relative to the project root when inside it.
    public var file: String
    /// 1-based; `nil` when the problem concerns the file as a whole.
    public var line: Int?
    public var column: Int?

    public init(file: String, line: Int? = nil, column: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String {
        var s = file
        if let line { s += ":\(line)" }
        if let line, line > 0, let column { s += ":\(column)" }
        return s
    }
}

/// One thing wrong with a pipeline file or feed list.
///
/// Its description is the compiler-style line users and editors understand:
/// `pipelines/x.yaml:12:5: feeds[3].url: bad URL 'htp://x' (only http, https, file or a path)`.
public struct ConfigProblem: Sendable, Hashable, CustomStringConvertible {
    /// What kind of mistake this is; lets tests and tools tell problems apart without
    /// matching message text.
    public enum Kind: String, Sendable, Hashable {
        case syntax, unknownKey, wrongType, missingValue, missingFile, duplicateID, badURL
        case badTimeZone, badDuration, badSize, badEnum, badValue, badLanguage
    }

    public var kind: Kind
    public var location: ConfigLocation
    /// Dotted path to the setting inside its file, e.g. `fetch.timeout` or `feeds[3].url`.
    public var keyPath: String
    public var message: String

    public init(_ kind: Kind, at location: ConfigLocation, key keyPath: String, _ message: String) {
        self.kind = kind
        self.location = location
        self.keyPath = keyPath
        self.message = message
    }

    public var file: String { location.file }
    public var line: Int? { location.line }
    public var column: Int? { location.column }

    public var description: String {
        keyPath.isEmpty ? "\(location): \(message)" : "\(location): \(keyPath): \(message)"
    }
}

/// Every problem found, in file order: validation never stops at the first one, because
/// fixing a config one error per run is the kind of chore that makes people skip `validate`.
public struct ConfigErrors: Error, Sendable, CustomStringConvertible {
    public var problems: [ConfigProblem]

    public init(_ problems: [ConfigProblem]) { self.problems = problems }

    public var description: String {
        problems.map(\.description).joined(separator: "\n")
    }
}

/// Collects problems while a file is walked; local to one load, never shared across tasks.
final class ProblemCollector {
    private(set) var problems: [ConfigProblem] = []

    func add(_ problem: ConfigProblem) { problems.append(problem) }

    func add(_ kind: ConfigProblem.Kind, _ location: ConfigLocation, _ key: String, _ message: String) {
        problems.append(ConfigProblem(kind, at: location, key: key, message))
    }

    var isEmpty: Bool { problems.isEmpty }
}
