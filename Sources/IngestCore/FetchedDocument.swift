import Foundation

/// HTTP response headers, in order, with case-insensitive lookup.
public struct HTTPHeaders: Sendable, Hashable, Codable {
    public var fields: [Field]

    public struct Field: Sendable, Hashable, Codable {
        public var name: String
        public var value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public init(_ fields: [Field] = []) { self.fields = fields }

    /// The last value of a header: with repeated headers after redirects, the final
    /// response's value is the one that counts.
    public subscript(name: String) -> String? {
        let lower = name.lowercased()
        return fields.last(where: { $0.name.lowercased() == lower })?.value
    }

    public mutating func append(name: String, value: String) {
        fields.append(Field(name: name, value: value))
    }
}

/// The Fetch → Parse edge: raw bytes plus everything later stages need to read them
/// correctly (charset, final URL for relative links, validators for the next run).
public struct FetchedDocument: Sendable {
    public var source: FeedSource
    /// The URL actually requested (a path becomes a `file://` URL).
    public var requestedURL: String
    /// After redirects; relative links in the document resolve against it.
    public var finalURL: String
    /// `nil` for files read from disk.
    public var httpStatus: Int?
    public var headers: HTTPHeaders
    public var body: [UInt8]
    public var fetchedAt: Date
    /// Wall time of the transfer including redirects and retries.
    public var elapsed: Duration

    public init(
        source: FeedSource, requestedURL: String, finalURL: String, httpStatus: Int?,
        headers: HTTPHeaders = HTTPHeaders(), body: [UInt8], fetchedAt: Date, elapsed: Duration = .zero
    ) {
        self.source = source
        self.requestedURL = requestedURL
        self.finalURL = finalURL
        self.httpStatus = httpStatus
        self.headers = headers
        self.body = body
        self.fetchedAt = fetchedAt
        self.elapsed = elapsed
    }

    public var contentType: String? { headers["Content-Type"] }
    public var etag: String? { headers["ETag"] }
    public var lastModified: String? { headers["Last-Modified"] }
    /// `true` for a 304 answer to a conditional GET: nothing to parse.
    public var isNotModified: Bool { httpStatus == 304 }
}

extension Array where Element == UInt8 {
    /// Leaves a 0 just past the last byte, inside the array's own storage (growing it by one
    /// byte if it is full). libxml2 reads a document up to such a terminator; a body that
    /// has one is parsed where it lies, one that does not is first copied whole. Appending
    /// to the array or copying it may lose the terminator; `withNULTerminatedBytes` checks.
    public mutating func leaveNULAfterEnd() {
        append(0)
        removeLast()
    }

    /// Calls `body` with the bytes and whether the storage holds a 0 just past them.
    /// Reads that one byte only when it lies inside the array's capacity, so it never
    /// leaves the array's own allocation.
    public func withNULTerminatedBytes<R>(_ body: (UnsafeBufferPointer<UInt8>, Bool) throws -> R) rethrows -> R {
        let spare = capacity > count
        return try withUnsafeBufferPointer { buf in
            let terminated = spare && buf.baseAddress.map { $0[buf.count] == 0 } == true
            return try body(buf, terminated)
        }
    }
}
