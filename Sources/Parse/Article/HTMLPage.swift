import CLibXML

/// The tables the C pass produced for one page (see `ingest_html_page.h`). The C side
/// owns the memory; this wrapper frees it and hands out strings only on demand, so
/// scoring works on plain integers.
final class HTMLPage {
    typealias Node = ingest_html_node
    typealias Block = ingest_html_block
    typealias Meta = ingest_html_meta

    private let handle: OpaquePointer?
    let nodes: UnsafeBufferPointer<Node>
    let blocks: UnsafeBufferPointer<Block>
    let metas: UnsafeBufferPointer<Meta>
    private let pool: UnsafeBufferPointer<UInt8>

    /// `encoding` names the charset of `bytes` for libxml2 (`nil`: the page's own declaration).
    init(bytes: [UInt8], encoding: String?) {
        let page: OpaquePointer? = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                if let encoding {
                    return encoding.withCString { ingest_html_page_parse(chars.baseAddress, chars.count, $0) }
                }
                return ingest_html_page_parse(chars.baseAddress, chars.count, nil)
            }
        }
        handle = page
        var count = 0
        nodes = UnsafeBufferPointer(start: ingest_html_page_nodes(page, &count), count: count)
        blocks = UnsafeBufferPointer(start: ingest_html_page_blocks(page, &count), count: count)
        metas = UnsafeBufferPointer(start: ingest_html_page_metas(page, &count), count: count)
        let raw = ingest_html_page_pool(page, &count)
        pool = UnsafeBufferPointer(start: UnsafeRawPointer(raw)?.assumingMemoryBound(to: UInt8.self), count: count)
    }

    deinit { ingest_html_page_free(handle) }

    func string(offset: UInt32, length: UInt32) -> String {
        guard length > 0, let base = pool.baseAddress else { return "" }
        return String(decoding: UnsafeBufferPointer(start: base + Int(offset), count: Int(length)), as: UTF8.self)
    }

    func text(of block: Block) -> String { string(offset: block.text_off, length: block.text_len) }

    /// First byte of a block's text (0 when empty): a cheap filter before building strings.
    func firstByte(_ block: Block) -> UInt8 {
        guard block.text_len > 0, let base = pool.baseAddress else { return 0 }
        return base[Int(block.text_off)]
    }

    /// Whether a block's text holds a plausible year (19xx/20xx): a byte scan that spares
    /// the date patterns most blocks.
    func mayHoldDate(_ block: Block) -> Bool {
        guard block.text_len >= 4, let base = pool.baseAddress else { return false }
        let start = Int(block.text_off), end = start + Int(block.text_len)
        var i = start
        var run = 0
        while i < end {
            let b = base[i]
            if b >= 0x30 && b <= 0x39 {
                run += 1
                if run == 4 {
                    let c = base[i - 3], d = base[i - 2]
                    if (c == 0x31 && d == 0x39) || (c == 0x32 && d == 0x30) { return true }
                }
            } else {
                run = 0
            }
            i += 1
        }
        return false
    }
    func key(of meta: Meta) -> String { string(offset: meta.key_off, length: meta.key_len) }
    func value(of meta: Meta) -> String { string(offset: meta.value_off, length: meta.value_len) }
    func attributes(of node: Node) -> String { string(offset: node.attr_off, length: node.attr_len) }

    /// Whether node `inner` lies in the subtree of node `outer` (preorder numbering).
    func contains(_ outer: Int, _ inner: Int) -> Bool {
        inner >= outer && inner <= Int(nodes[outer].subtree_end)
    }

    static func tag(_ node: Node) -> Int32 { Int32(node.tag) }
}
