#ifndef INGEST_ENCODING_H
#define INGEST_ENCODING_H
/* Charset conversion (glibc iconv) and detection (ICU's charset detector), behind plain C
 * types so that Swift never sees iconv's or ICU's headers. */
#include <stddef.h>
#include <stdint.h>

/* Outcome of a conversion. */
enum {
    INGEST_CONV_OK = 0,
    /* A byte sequence is invalid in the source charset (strict mode only). */
    INGEST_CONV_INVALID = 1,
    /* iconv does not know the charset name. */
    INGEST_CONV_UNSUPPORTED = 2,
    INGEST_CONV_NOMEM = 3,
};

/* Converts `in` from `charset` to UTF-8. On success *out is a malloc'd buffer the caller
 * frees with ingest_free. In lossy mode, each invalid or incomplete sequence becomes
 * U+FFFD and *replaced counts them; in strict mode the first one fails the conversion. */
int ingest_convert_to_utf8(const char *charset, const uint8_t *in, size_t in_len, int lossy,
                           uint8_t **out, size_t *out_len, size_t *replaced);

/* Whether iconv can open a converter from `charset`. */
int ingest_charset_supported(const char *charset);

/* Up to `max` candidate charsets for undeclared bytes, best first, written as
 * NUL-terminated names of at most 31 bytes into names[i*32]; confidences 0-100.
 * Markup is filtered out before detection. Returns the number of candidates. */
int ingest_detect_charsets(const uint8_t *in, size_t in_len, char *names, int32_t *confidences, int max);

/* 1 when `s` is well-formed UTF-8 (no overlongs, surrogates or truncation); sets
 * *has_non_ascii when any byte is >= 0x80. */
int ingest_utf8_check(const uint8_t *s, size_t n, int *has_non_ascii);

void ingest_free(void *p);
#endif
