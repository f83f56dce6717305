/// The tool's identity, used in `--version` and the HTTP `User-Agent`.
public enum IngestVersion {
    public static let number = "0.1.0"
    public static let userAgent = "ingest/\(number) (+https://github.com/ingest-news/ingest; bilingual news ingestion)"
}
