/*
 * Gzip for the test server, using the system zlib loaded at run time.
 *
 * Why dlopen: libz.so.1 is always present (libcurl itself needs it), but zlib.h and the
 * libz.so link name come only with zlib1g-dev, which a fresh machine may lack. Only two
 * functions with plain C signatures are needed: compress2 (zlib format) and crc32; the
 * gzip wrapper (RFC 1952) is the same raw deflate stream with a different header/trailer.
 */
#include "test_gzip.h"
#include <dlfcn.h>
#include <pthread.h>
#include <string.h>

typedef int (*compress2_fn)(unsigned char *dest, unsigned long *dest_len, const unsigned char *source,
                            unsigned long source_len, int level);
typedef unsigned long (*crc32_fn)(unsigned long crc, const unsigned char *buf, unsigned int len);

static compress2_fn zlib_compress2;
static crc32_fn zlib_crc32;
static pthread_once_t load_once = PTHREAD_ONCE_INIT;

static void load_zlib(void) {
    void *lib = dlopen("libz.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!lib) lib = dlopen("libz.so", RTLD_NOW | RTLD_LOCAL);
    if (!lib) return;
    zlib_compress2 = (compress2_fn)dlsym(lib, "compress2");
    zlib_crc32 = (crc32_fn)dlsym(lib, "crc32");
}

size_t test_gzip_bound(size_t length) {
    /* zlib's compressBound plus the gzip header and trailer, with room to spare. */
    return length + (length >> 12) + (length >> 14) + (length >> 25) + 13 + 64;
}

static void put_le32(unsigned char *p, unsigned long v) {
    p[0] = (unsigned char)(v & 0xff);
    p[1] = (unsigned char)((v >> 8) & 0xff);
    p[2] = (unsigned char)((v >> 16) & 0xff);
    p[3] = (unsigned char)((v >> 24) & 0xff);
}

long test_gzip_compress(const unsigned char *input, size_t length, unsigned char *output, size_t capacity) {
    pthread_once(&load_once, load_zlib);
    if (!zlib_compress2 || !zlib_crc32 || capacity < 18 || length > 0xffffffffUL) return -1;
    /* zlib stream = 2-byte header + raw deflate + 4-byte Adler-32; written after our
       10-byte gzip header so that its own header lands on bytes 8-9 and is overwritten. */
    unsigned long zlen = (unsigned long)(capacity - 8 - 8);
    if (zlib_compress2(output + 8, &zlen, input, (unsigned long)length, 9) != 0 || zlen < 6) return -1;
    static const unsigned char header[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 3};
    memcpy(output, header, sizeof header);
    size_t deflate_len = zlen - 6;               /* drop zlib header and Adler-32 */
    size_t end = 10 + deflate_len;
    if (end + 8 > capacity) return -1;
    put_le32(output + end, zlib_crc32(0, input, (unsigned int)length));
    put_le32(output + end + 4, (unsigned long)length);
    return (long)(end + 8);
}
