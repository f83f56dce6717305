#ifndef TEST_GZIP_H
#define TEST_GZIP_H
#include <stddef.h>
/* Gzip-compresses `length` bytes of `input` into `output` (capacity `capacity`) with the
   system zlib. Returns the compressed size, or -1 when `capacity` is too small or zlib
   is unavailable. `test_gzip_bound` gives a capacity that always suffices. */
long test_gzip_compress(const unsigned char *input, size_t length, unsigned char *output, size_t capacity);
size_t test_gzip_bound(size_t length);
#endif
