import CMalloc
import IngestCore

/// The allocator settings behind issue 3's memory bound (peak RSS flat in the number of
/// feeds). glibc's defaults suit short programs: up to eight arenas per core, each keeping
/// the pages it freed, so a run's resident size grew with how many threads had once
/// allocated, and with how fragmented large freed buffers had left the heap, not with what it
/// held (`scripts/bench-memory.py`).
public enum ProcessMemory {
    /// Arenas for the whole process: the cooperative pool, the curl driver thread and the
    /// start-up builders share them. More arenas would only cut lock contention, which the
    /// per-item work does not have (it allocates little once a feed is parsed).
    public static let arenaLimit: Int32 = 2

    /// Blocks this large or larger get mappings of their own (whole documents, libxml2's
    /// buffers), so freeing one gives its pages back instead of leaving a hole in the heap.
    public static let mappedBlockBytes: Int32 = 256 * 1024

    /// Call first thing in `main`, before threads start allocating.
    public static func configure() {
        ingest_malloc_arena_max(arenaLimit)
        ingest_malloc_mmap_threshold(mappedBlockBytes)
    }

    /// Gives freed pages back to the kernel: after a start-up builder finishes, whose
    /// transient tables would otherwise stay resident for the life of a daemon.
    public static func releaseFreedPages() {
        let started = ContinuousClock.now
        ingest_malloc_trim()
        RunTrace.note("memory: freed pages given back in \(ContinuousClock.now - started)")
    }

    /// Gives back the resident pages of code and constants that start-up touched (see
    /// `ingest_page_out_file_mappings`): as the registry and then the taxonomy finish building
    /// (`StageFactory`), the run keeps only the pages it touches again. Measured with `scripts/bench-memory.py`.
    /// Returns how many mappings the kernel took the advice for (0 where it cannot: see
    /// `canReleaseStartupPages`).
    @discardableResult
    public static func releaseStartupPages() -> Int {
        let started = ContinuousClock.now
        let advised = Int(ingest_page_out_file_mappings())
        RunTrace.note("memory: start-up code pages given back (\(advised) mappings) in \(ContinuousClock.now - started)")
        return advised
    }

    /// Whether the kernel can take pages back on request (MADV_PAGEOUT, Linux 5.4 and later).
    public static let canReleaseStartupPages: Bool = ingest_page_out_supported() != 0

    /// Feeds between two `releaseFreedPages` in a run. free() gives back only the top of the
    /// heap; the holes that each feed's documents, items and batches leave inside it stayed
    /// resident, and the resident size crept up by about 3 MB over 3,474 feeds. Every 64 feeds
    /// peaked 0.5–1 MB lower than every 256, at no CPU cost that alternated runs could see.
    public static let feedsBetweenTrims = 64

    /// Call as each feed of a run ends, with how many have ended.
    public static func feedEnded(count: Int) {
        if count % feedsBetweenTrims == 0 { releaseFreedPages() }
    }
}
