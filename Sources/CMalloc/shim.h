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
#else
static inline void ingest_malloc_trim(void) {}
static inline void ingest_malloc_arena_max(int n) { (void)n; }
static inline void ingest_malloc_mmap_threshold(int bytes) { (void)bytes; }
#endif
#endif
