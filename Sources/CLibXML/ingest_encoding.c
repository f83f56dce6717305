#include "ingest_encoding.h"
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ucsdet.h>

void ingest_free(void *p) { free(p); }

int ingest_charset_supported(const char *charset) {
    iconv_t cd = iconv_open("UTF-8", charset);
    if (cd == (iconv_t)-1) return 0;
    iconv_close(cd);
    return 1;
}

static int grow(uint8_t **buf, size_t *cap, size_t used, size_t need) {
    if (*cap - used >= need) return 1;
    size_t ncap = *cap * 2;
    if (ncap < used + need) ncap = used + need + 64;
    uint8_t *n = realloc(*buf, ncap);
    if (!n) return 0;
    *buf = n;
    *cap = ncap;
    return 1;
}

int ingest_convert_to_utf8(const char *charset, const uint8_t *in, size_t in_len, int lossy,
                           uint8_t **out, size_t *out_len, size_t *replaced) {
    *out = NULL;
    *out_len = 0;
    if (replaced) *replaced = 0;
    iconv_t cd = iconv_open("UTF-8", charset);
    if (cd == (iconv_t)-1) return INGEST_CONV_UNSUPPORTED;
    /* Most legacy CJK text grows by half when re-encoded as UTF-8. */
    size_t cap = in_len + in_len / 2 + 16, used = 0;
    uint8_t *buf = malloc(cap);
    if (!buf) { iconv_close(cd); return INGEST_CONV_NOMEM; }
    char *src = (char *)in;
    size_t left = in_len;
    int status = INGEST_CONV_OK;
    while (left > 0) {
        char *dst = (char *)buf + used;
        size_t room = cap - used;
        size_t r = iconv(cd, &src, &left, &dst, &room);
        used = (size_t)((uint8_t *)dst - buf);
        if (r != (size_t)-1) break;
        if (errno == E2BIG) {
            if (!grow(&buf, &cap, used, left * 2 + 16)) { status = INGEST_CONV_NOMEM; break; }
            continue;
        }
        /* EILSEQ or EINVAL (truncated sequence at the end). */
        if (!lossy) { status = INGEST_CONV_INVALID; break; }
        if (!grow(&buf, &cap, used, 3)) { status = INGEST_CONV_NOMEM; break; }
        buf[used++] = 0xEF; buf[used++] = 0xBF; buf[used++] = 0xBD;
        if (replaced) (*replaced)++;
        src++;
        left--;
        iconv(cd, NULL, NULL, NULL, NULL); /* reset shift state */
    }
    if (status == INGEST_CONV_OK) {
        /* Flush any pending shift sequence (stateful charsets such as ISO-2022). */
        for (;;) {
            if (!grow(&buf, &cap, used, 16)) { status = INGEST_CONV_NOMEM; break; }
            char *dst = (char *)buf + used;
            size_t room = cap - used;
            size_t r = iconv(cd, NULL, NULL, &dst, &room);
            used = (size_t)((uint8_t *)dst - buf);
            if (r != (size_t)-1 || errno != E2BIG) break;
        }
    }
    iconv_close(cd);
    if (status != INGEST_CONV_OK) { free(buf); return status; }
    *out = buf;
    *out_len = used;
    return INGEST_CONV_OK;
}

int ingest_detect_charsets(const uint8_t *in, size_t in_len, char *names, int32_t *confidences, int max) {
    UErrorCode err = U_ZERO_ERROR;
    UCharsetDetector *det = ucsdet_open(&err);
    if (U_FAILURE(err)) return 0;
    ucsdet_enableInputFilter(det, 1);
    /* The detector reads at most this much; more only costs time. */
    int32_t len = in_len > (1 << 20) ? (1 << 20) : (int32_t)in_len;
    ucsdet_setText(det, (const char *)in, len, &err);
    int32_t found = 0;
    const UCharsetMatch **matches = U_SUCCESS(err) ? ucsdet_detectAll(det, &found, &err) : NULL;
    int n = 0;
    if (U_SUCCESS(err) && matches) {
        for (int32_t i = 0; i < found && n < max; i++) {
            UErrorCode e2 = U_ZERO_ERROR;
            const char *name = ucsdet_getName(matches[i], &e2);
            int32_t conf = ucsdet_getConfidence(matches[i], &e2);
            if (U_FAILURE(e2) || !name) continue;
            strncpy(names + n * 32, name, 31);
            names[n * 32 + 31] = 0;
            confidences[n] = conf;
            n++;
        }
    }
    ucsdet_close(det);
    return n;
}

int ingest_utf8_check(const uint8_t *s, size_t n, int *has_non_ascii) {
    size_t i = 0;
    int non_ascii = 0;
    while (i < n) {
        /* ASCII runs, eight bytes at a time. */
        while (i + 8 <= n) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (w & 0x8080808080808080ULL) break;
            i += 8;
        }
        if (i >= n) break;
        unsigned char c = s[i];
        if (c < 0x80) { i++; continue; }
        non_ascii = 1;
        /* Runs of three-byte characters (all of CJK) checked without the general loop:
         * E1..EC and EE..EF take any continuation bytes; E0 needs A0.., ED stays below A0
         * (no surrogates). */
        while (i + 3 <= n && (c & 0xF0) == 0xE0) {
            unsigned char d1 = s[i + 1], d2 = s[i + 2];
            if ((d1 & 0xC0) != 0x80 || (d2 & 0xC0) != 0x80) { *has_non_ascii = 1; return 0; }
            if ((c == 0xE0 && d1 < 0xA0) || (c == 0xED && d1 >= 0xA0)) { *has_non_ascii = 1; return 0; }
            i += 3;
            if (i >= n) break;
            c = s[i];
        }
        if (i >= n) break;
        if (c < 0x80) { i++; continue; }
        size_t need;
        uint32_t cp, min;
        if ((c & 0xE0) == 0xC0) { need = 1; cp = c & 0x1F; min = 0x80; }
        else if ((c & 0xF0) == 0xE0) { need = 2; cp = c & 0x0F; min = 0x800; }
        else if ((c & 0xF8) == 0xF0) { need = 3; cp = c & 0x07; min = 0x10000; }
        else { *has_non_ascii = 1; return 0; }
        if (i + need >= n) { *has_non_ascii = 1; return 0; }
        for (size_t k = 1; k <= need; k++) {
            unsigned char d = s[i + k];
            if ((d & 0xC0) != 0x80) { *has_non_ascii = 1; return 0; }
            cp = (cp << 6) | (d & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) { *has_non_ascii = 1; return 0; }
        i += need + 1;
    }
    *has_non_ascii = non_ascii;
    return 1;
}
