import CSQLite
import Foundation

/// A value bound to or read from SQLite. Dates travel as `REAL` Unix seconds.
enum SQLValue {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    static func int(_ value: Int?) -> SQLValue { value.map { .integer(Int64($0)) } ?? .null }
    static func date(_ value: Date?) -> SQLValue { value.map { .real($0.timeIntervalSince1970) } ?? .null }
    static func string(_ value: String?) -> SQLValue { value.map { .text($0) } ?? .null }
}

/// SQLite copies bound text at once; the C macro `SQLITE_TRANSIENT` is a cast Swift cannot import.
private var sqliteTransient: sqlite3_destructor_type {
    unsafeBitCast(Int(-1), to: sqlite3_destructor_type.self)
}

/// The one owner of a `sqlite3*`. Not thread-safe by itself: `SQLiteStateStore` confines
/// it to one serial queue. The handle is opened with `SQLITE_OPEN_NOMUTEX` for that reason.
final class SQLiteConnection {
    let path: String
    private let handle: OpaquePointer
    private var statements: [String: SQLiteStatement] = [:]

    init(path: String) throws {
        self.path = path
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(db)
            throw SQLiteConnection.mapError(code: rc, message: message, location: path, sql: nil)
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
    }

    deinit {
        // Statements first: closing with live statements would only defer the close.
        statements.removeAll()
        sqlite3_close_v2(handle)
    }

    // MARK: Errors — the one choke point

    /// Turns a result code into a thrown `StateStoreError` naming the file and statement.
    func check(_ rc: Int32, sql: String?) throws {
        switch rc {
        case SQLITE_OK, SQLITE_ROW, SQLITE_DONE: return
        default:
            throw SQLiteConnection.mapError(
                code: rc, message: String(cString: sqlite3_errmsg(handle)), location: path, sql: sql)
        }
    }

    static func mapError(code: Int32, message: String, location: String, sql: String?) -> StateStoreError {
        let kind: StateStoreError.Kind
        switch code & 0xFF {
        case SQLITE_BUSY, SQLITE_LOCKED: kind = .busy
        case SQLITE_CORRUPT, SQLITE_NOTADB: kind = .corrupt
        case SQLITE_FULL: kind = .diskFull
        case SQLITE_READONLY, SQLITE_PERM: kind = .readOnly
        case SQLITE_CANTOPEN: kind = .cannotOpen
        case SQLITE_CONSTRAINT: kind = .constraint
        case SQLITE_MISUSE, SQLITE_RANGE: kind = .invalidArgument
        default: kind = .other
        }
        var text = "SQLite error \(code): \(message)"
        if kind == .busy { text += " (another process keeps the database busy)" }
        if let sql { text += " — while running: \(sql.split(separator: "\n").joined(separator: " "))" }
        return StateStoreError(kind: kind, location: location, message: text)
    }

    // MARK: Statements

    /// Runs one or more statements without results (schema, pragmas, transaction control).
    func execute(_ sql: String) throws {
        try check(sqlite3_exec(handle, sql, nil, nil, nil), sql: sql)
    }

    /// A cached prepared statement, reset and ready for new bindings.
    func prepare(_ sql: String) throws -> SQLiteStatement {
        if let cached = statements[sql] {
            cached.reset()
            return cached
        }
        var raw: OpaquePointer?
        try check(sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &raw, nil), sql: sql)
        guard let raw else {
            throw StateStoreError(kind: .invalidArgument, location: path, message: "empty statement: \(sql)")
        }
        let statement = SQLiteStatement(raw, sql: sql, connection: self)
        statements[sql] = statement
        return statement
    }

    /// Runs a statement that returns no rows; returns the number of rows it changed.
    @discardableResult
    func run(_ sql: String, _ values: [SQLValue] = []) throws -> Int {
        let statement = try prepare(sql)
        // Reset at once: a statement left mid-way keeps its read snapshot open and holds
        // back WAL checkpoints.
        defer { statement.reset() }
        try statement.bind(values)
        while try statement.step() {}
        return Int(sqlite3_changes(handle))
    }

    /// Every row of a query, mapped while the statement is live.
    func query<T>(_ sql: String, _ values: [SQLValue] = [], _ row: (SQLiteStatement) throws -> T) throws -> [T] {
        let statement = try prepare(sql)
        defer { statement.reset() }
        try statement.bind(values)
        var rows: [T] = []
        while try statement.step() { rows.append(try row(statement)) }
        return rows
    }

    func queryFirst<T>(_ sql: String, _ values: [SQLValue] = [], _ row: (SQLiteStatement) throws -> T) throws -> T? {
        let statement = try prepare(sql)
        try statement.bind(values)
        defer { statement.reset() }
        return try statement.step() ? try row(statement) : nil
    }

    func scalarInt(_ sql: String, _ values: [SQLValue] = []) throws -> Int {
        try queryFirst(sql, values) { $0.int(0) } ?? 0
    }

    // MARK: Transactions

    enum TransactionKind: String {
        /// Reads see one snapshot.
        case deferred = "DEFERRED"
        /// Takes the write lock at once, so a busy database fails at BEGIN (after the busy
        /// timeout) instead of deadlocking halfway through.
        case immediate = "IMMEDIATE"
    }

    /// - Parameter durable: fsync the WAL at COMMIT. The connection otherwise runs with
    ///   `synchronous = NORMAL`, where a power cut may undo the last commits (a process
    ///   crash never does); an fsync per feed record would cost milliseconds each.
    func transaction<T>(_ kind: TransactionKind = .immediate, durable: Bool = false, _ body: () throws -> T) throws -> T {
        if durable {
            try execute("PRAGMA synchronous = FULL")
        }
        defer {
            if durable { _ = sqlite3_exec(handle, "PRAGMA synchronous = NORMAL", nil, nil, nil) }
        }
        try execute("BEGIN \(kind.rawValue)")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            // Roll back whatever the body did; a failed ROLLBACK (already rolled back by
            // SQLite itself) must not hide the original error.
            if sqlite3_get_autocommit(handle) == 0 { _ = sqlite3_exec(handle, "ROLLBACK", nil, nil, nil) }
            throw error
        }
    }

    var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }
}

final class SQLiteStatement {
    private let handle: OpaquePointer
    let sql: String
    private unowned let connection: SQLiteConnection

    init(_ handle: OpaquePointer, sql: String, connection: SQLiteConnection) {
        self.handle = handle
        self.sql = sql
        self.connection = connection
    }

    deinit { sqlite3_finalize(handle) }

    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    func bind(_ values: [SQLValue]) throws {
        reset()
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let rc: Int32
            switch value {
            case .null: rc = sqlite3_bind_null(handle, index)
            case .integer(let v): rc = sqlite3_bind_int64(handle, index, v)
            case .real(let v): rc = sqlite3_bind_double(handle, index, v)
            case .text(let v): rc = sqlite3_bind_text(handle, index, v, Int32(v.utf8.count), sqliteTransient)
            }
            try connection.check(rc, sql: sql)
        }
    }

    /// `true` while there is a row to read.
    func step() throws -> Bool {
        let rc = sqlite3_step(handle)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        // The statement's own error code; reset so it does not keep a read lock open.
        defer { sqlite3_reset(handle) }
        try connection.check(rc, sql: sql)
        return false
    }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(handle, column)) }

    func optionalInt(_ column: Int32) -> Int? { isNull(column) ? nil : int(column) }

    func text(_ column: Int32) -> String? {
        // By length, not by NUL: ids and messages may contain anything.
        guard let bytes = sqlite3_column_text(handle, column) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    func date(_ column: Int32) -> Date? {
        isNull(column) ? nil : Date(timeIntervalSince1970: sqlite3_column_double(handle, column))
    }
}
