#ifndef INGEST_CMALLOC_SHIM_H
#define INGEST_CMALLOC_SHIM_H
// glibc's allocator controls, which Swift's Glibc module leaves out (<malloc.h>).
#if defined(__GLIBC__) || defined(__linux__)
#include <malloc.h>

/// Hands the pages of freed chunks in every arena back to the kernel.
static inline void ingest_malloc_trim(void) { (void)malloc_trim(0); }

/// Caps how many arenas glibc creates; it otherwise makes up to eight per core, each
/// keeping its own freed pages.
static inline void ingest_malloc_arena_max(int n) { (void)mallopt(M_ARENA_MAX, n); }

/// Serves blocks of at least `bytes` from their own mappings, returned whole on free. Setting
/// it also stops glibc raising the threshold each time such a block is freed, which otherwise
/// lets later large buffers (feed bodies, parse buffers) land in, and fragment, the heap.
static inline void ingest_malloc_mmap_threshold(int bytes) { (void)mallopt(M_MMAP_THRESHOLD, bytes); }

#include <stdio.h>
#include <sys/mman.h>
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

/// Asks the kernel to take back the resident pages of every read-only file mapping (the
/// executable's and the libraries' code and constants). Start-up runs code that never runs
/// again (argument parsing, the YAML reader, the taxonomy compiler), and its pages otherwise
/// stay in the resident size for the whole run. Nothing is lost: a page the run still uses
/// comes back from the page cache on its next touch, and the kernel skips pages that other
/// processes map or that were written (relocated constants), so only clean private pages go.
/// Returns the number of mappings advised, or -1 when /proc is unreadable; kernels before
/// 5.4 reject the advice, which is then a no-op.
static inline int ingest_page_out_file_mappings(void) {
    FILE *maps = fopen("/proc/self/maps", "re");
    if (!maps) return -1;
    char line[4096];
    int advised = 0;
    while (fgets(line, sizeof line, maps)) {
        unsigned long start, end, offset, inode;
        char perms[5], dev[16];
        int path = 0;
        if (sscanf(line, "%lx-%lx %4s %lx %15s %lu %n", &start, &end, perms, &offset, dev, &inode, &path) < 6) continue;
        if (inode == 0 || perms[1] == 'w' || perms[3] != 'p') continue;
        if (path > 0 && line[path] == '[') continue;
        if (madvise((void *)start, end - start, MADV_PAGEOUT) == 0) advised++;
    }
    fclose(maps);
    return advised;
}

/// Whether this kernel takes MADV_PAGEOUT (Linux 5.4 and later): asked of one page of our own.
static inline int ingest_page_out_supported(void) {
    void *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED) return 0;
    int ok = madvise(page, 4096, MADV_PAGEOUT) == 0;
    munmap(page, 4096);
    return ok;
}
#else
static inline int ingest_page_out_file_mappings(void) { return 0; }
static inline int ingest_page_out_supported(void) { return 0; }
static inline void ingest_malloc_trim(void) {}
static inline void ingest_malloc_arena_max(int n) { (void)n; }
static inline void ingest_malloc_mmap_threshold(int bytes) { (void)bytes; }
#endif
#endif
