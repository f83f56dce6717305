#include "test_gzip.h"
#include <string.h>
#include <zlib.h>

size_t test_gzip_bound(size_t length) {
    /* deflateBound for the raw stream plus the gzip header and trailer. */
    return compressBound((uLong)length) + 32;
}

long test_gzip_compress(const unsigned char *input, size_t length, unsigned char *output, size_t capacity) {
    z_stream stream;
    memset(&stream, 0, sizeof stream);
    /* 15 + 16: gzip wrapper instead of zlib's. */
    if (deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK) return -1;
    stream.next_in = (Bytef *)input;
    stream.avail_in = (uInt)length;
    stream.next_out = output;
    stream.avail_out = (uInt)capacity;
    int rc = deflate(&stream, Z_FINISH);
    long produced = (long)stream.total_out;
    deflateEnd(&stream);
    return rc == Z_STREAM_END ? produced : -1;
}
