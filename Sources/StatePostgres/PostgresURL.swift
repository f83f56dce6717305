import Foundation
import PostgresNIO
import State

/// A `postgres://` (or `postgresql://`) URL taken apart into what the client needs, in
/// libpq's terms so an operator can paste the URL they already use with `psql`.
///
/// `sslmode`: `disable` (no TLS), `prefer` (TLS when the server offers it, the default
/// as in libpq), `require` (TLS or fail; the certificate is not checked, as in libpq),
/// `verify-ca`/`verify-full` (TLS with the certificate checked against the system's CAs).
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
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let value = item.value, let parsed = TLSMode(rawValue: value) else {
                    throw bad("sslmode '\(item.value ?? "")' is not one of disable, allow, prefer, require, verify-ca, verify-full")
                }
                mode = parsed
            case "application_name", "connect_timeout":
                continue
            default:
                throw bad("unknown URL parameter '\(item.name)' (supported: sslmode)")
            }
        }
        tls = mode
    }

    /// The URL without its password, for messages and `state status`.
    public var redacted: String {
        "postgres://\(user)@\(host):\(port)/\(database)" + (tls == .prefer ? "" : "?sslmode=\(tls.rawValue)")
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
        return PostgresConnection.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: tlsSetting)
    }

    func clientConfiguration() -> PostgresClient.Configuration {
        let tlsSetting: PostgresClient.Configuration.TLS
        if let settings = tlsSettings {
            tlsSetting = settings.required ? .require(settings.configuration) : .prefer(settings.configuration)
        } else {
            tlsSetting = .disable
        }
        return PostgresClient.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: tlsSetting)
    }
}
