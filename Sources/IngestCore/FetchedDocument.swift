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
