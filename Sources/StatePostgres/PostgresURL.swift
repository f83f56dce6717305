import Foundation
import PostgresNIO
import State

/// A `postgres://` (or `postgresql://`) URL taken apart into what the client needs, in
/// libpq's terms so an operator can paste the URL they already use with `psql`.
///
/// `sslmode`: `disable` (no TLS), `prefer` (TLS when the server offers it, the default
/// as in libpq), `require` (TLS or fail; the certificate is not checked, as in libpq),
/// `verify-ca`/`verify-full` (TLS with the certificate checked against the system's CAs).
///
/// `statement_timeout` (ingest's own parameter; milliseconds, or with `ms`, `s` or `min`):
/// the server cancels any of ingest's statements that runs longer, such as one stuck behind
/// another client's lock, and the operation is retried. Default 30 s. Sent as a startup
/// parameter, so it applies to ingest's connections only; `0` sends nothing, leaving the
/// server's own setting (off unless the role or database sets one), for poolers such as
/// PgBouncer that refuse startup parameters they do not know.
public struct PostgresURL: Sendable, Hashable {
    public enum TLSMode: String, Sendable, Hashable {
        case disable, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
        case allow
    }

    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    public var tls: TLSMode
    public var statementTimeout: Duration

    public static let defaultStatementTimeout: Duration = .seconds(30)

    public init(_ text: String) throws {
        func bad(_ why: String) -> StateStoreError {
            StateStoreError(kind: .invalidArgument, location: PostgresURL.redact(text), message: why)
        }
        guard let components = URLComponents(string: text),
              let scheme = components.scheme?.lowercased(), scheme == "postgres" || scheme == "postgresql"
        else { throw bad("not a postgres:// URL") }
        guard let host = components.host, !host.isEmpty else { throw bad("the URL names no host") }
        self.host = host
        port = components.port ?? 5432
        user = components.percentEncodedUser.flatMap { $0.removingPercentEncoding } ?? ProcessInfo.processInfo.environment["USER"] ?? "postgres"
        password = components.percentEncodedPassword.flatMap { $0.removingPercentEncoding }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        database = path.isEmpty ? user : path
        var mode = TLSMode.prefer
        var timeout = Self.defaultStatementTimeout
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let value = item.value, let parsed = TLSMode(rawValue: value) else {
                    throw bad("sslmode '\(item.value ?? "")' is not one of disable, allow, prefer, require, verify-ca, verify-full")
                }
                mode = parsed
            case "statement_timeout":
                guard let value = item.value, let parsed = Self.milliseconds(value) else {
                    throw bad("statement_timeout '\(item.value ?? "")' is not a duration (such as 30000, 30s or 2min; 0 = off)")
                }
                timeout = .milliseconds(parsed)
            case "application_name", "connect_timeout":
                continue
            default:
                throw bad("unknown URL parameter '\(item.name)' (supported: sslmode, statement_timeout)")
            }
        }
        tls = mode
        statementTimeout = timeout
    }

    /// `30000`, `30000ms`, `30s`, `2min` as milliseconds; `nil` for anything else.
    static func milliseconds(_ text: String) -> Int64? {
        let units: [(String, Int64)] = [("min", 60_000), ("ms", 1), ("s", 1000), ("", 1)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            let number = text.dropLast(suffix.count)
            guard !number.isEmpty, number.allSatisfy(\.isASCII), number.allSatisfy(\.isNumber),
                  let n = Int64(number), n <= Int64(Int32.max) / scale
            else { continue }
            return n * scale
        }
        return nil
    }

    /// The URL without its password, for messages and `state status`.
    public var redacted: String {
        "postgres://\(user)@\(host):\(port)/\(database)" + (tls == .prefer ? "" : "?sslmode=\(tls.rawValue)")
    }

    /// Startup parameters every connection sends: the server applies them for the session.
    private var startupParameters: [(String, String)] {
        guard statementTimeout > .zero else { return [] }
        let ms = statementTimeout.components.seconds * 1000 + statementTimeout.components.attoseconds / 1_000_000_000_000_000
        return [("statement_timeout", String(ms))]
    }

    static func redact(_ text: String) -> String {
        guard var c = URLComponents(string: text) else { return "postgres://…" }
        if c.password != nil { c.password = "***" }
        return c.string ?? "postgres://…"
    }

    /// `nil` without TLS; else whether TLS is required and how certificates are checked.
    private var tlsSettings: (required: Bool, configuration: TLSConfiguration)? {
        var c = TLSConfiguration.makeClientConfiguration()
        switch tls {
        case .disable, .allow: return nil
        case .prefer, .require: c.certificateVerification = .none
        case .verifyCA: c.certificateVerification = .noHostnameVerification
        case .verifyFull: c.certificateVerification = .fullVerification
        }
        return (tls != .prefer, c)
    }

    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        let tlsSetting: PostgresConnection.Configuration.TLS
        if let settings = tlsSettings {
            let context = try NIOSSLContext(configuration: settings.configuration)
            tlsSetting = settings.required ? .require(context) : .prefer(context)
        } else {
            tlsSetting = .disable
        }
        var configuration = PostgresConnection.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: tlsSetting)
        configuration.options.additionalStartupParameters = startupParameters
        return configuration
    }

    func clientConfiguration() -> PostgresClient.Configuration {
        let tlsSetting: PostgresClient.Configuration.TLS
        if let settings = tlsSettings {
            tlsSetting = settings.required ? .require(settings.configuration) : .prefer(settings.configuration)
        } else {
            tlsSetting = .disable
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: tlsSetting)
        configuration.options.additionalStartupParameters = startupParameters
        return configuration
    }
}
