import CLibXML

/// The speed floor the Parse stage is measured against (issue 3: at most 1.3× of it):
/// a plain libxml2 xmlTextReader pass that visits every node and touches its name and
/// value, over the same UTF-8 bytes. Benchmarks call it; the pipeline never does.
public enum ParseFloor {
    /// Nodes visited, or -1 when the reader could not start.
    @discardableResult
    public static func readerPass(_ utf8: [UInt8]) -> Int {
        utf8.withUnsafeBufferPointer { Int(ingest_xml_reader_floor($0.baseAddress, $0.count)) }
    }
}
