/* The repair pass run before libxml2 sees a feed. It is where the hostile and the merely
 * sloppy are handled, so that libxml2 itself never has to expand or fetch an entity:
 *  - the DOCTYPE is dropped; its internal general entities are expanded here, within a
 *    byte budget and a nesting limit (billion laughs, quadratic blow-up), and external
 *    (SYSTEM/PUBLIC) entities expand to nothing, so no file or URL is ever read;
 *  - HTML named entities the XML never declared (&nbsp; &eacute;) become character
 *    references; unknown names and bare '&' are escaped so their text survives;
 *  - control characters XML forbids are dropped, junk before the first '<' is skipped,
 *    and the XML declaration (which names the original charset) is removed because the
 *    bytes are UTF-8 by now. */
#include "ingest_repair.h"
#include <libxml/HTMLparser.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *name; size_t name_len;
    const char *value; size_t value_len;
    int external;
} dtd_entity;

typedef struct {
    text_buf *out; /* NULL on the dry run that only looks for something to repair */
    repair_stats *stats;
    dtd_entity *entities;
    int entity_count;
    size_t budget;
} repair_ctx;

static inline void out_append(text_buf *b, const char *s, size_t n) { if (b) tb_append(b, s, n); }
static inline void out_putc(text_buf *b, char c) { if (b) tb_putc(b, c); }

static int name_start(unsigned char c) {
    return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c == '_' || c == ':' || c >= 0x80;
}
static int name_char(unsigned char c) {
    return name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}
static int is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

static const char *find(const char *s, size_t n, const char *needle) {
    size_t m = strlen(needle);
    if (m > n) return NULL;
    const char *end = s + n - m;
    for (const char *p = s; p <= end; p++) {
        p = memchr(p, needle[0], (size_t)(end - p) + 1);
        if (!p) return NULL;
        if (!memcmp(p, needle, m)) return p;
    }
    return NULL;
}

static int starts_ci(const char *s, size_t n, const char *prefix) {
    size_t m = strlen(prefix);
    if (n < m) return 0;
    for (size_t i = 0; i < m; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z') c |= 0x20;
        if (c != prefix[i]) return 0;
    }
    return 1;
}

static int valid_xml_char(unsigned long cp) {
    return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) ||
           (cp >= 0x10000 && cp <= 0x10FFFF);
}

static void copy_text(repair_ctx *r, const char *s, size_t n, int depth);

/* Handles the reference at s[0]=='&'; returns bytes consumed. */
static size_t reference(repair_ctx *r, const char *s, size_t n, int depth) {
    size_t i = 1;
    if (n > 2 && s[1] == '#') {
        int hex = n > 3 && (s[2] == 'x' || s[2] == 'X');
        i = hex ? 3 : 2;
        unsigned long cp = 0;
        int digits = 0;
        while (i < n && digits < 9) {
            unsigned char c = (unsigned char)s[i];
            int v;
            if (c >= '0' && c <= '9') v = c - '0';
            else if (hex && (c | 0x20) >= 'a' && (c | 0x20) <= 'f') v = (c | 0x20) - 'a' + 10;
            else break;
            cp = cp * (hex ? 16 : 10) + (unsigned long)v;
            digits++;
            i++;
        }
        if (digits && i < n && s[i] == ';') {
            if (!valid_xml_char(cp)) r->stats->control_chars++;
            else if (s[2] == 'X') {
                /* `&#X41;`: HTML accepts the capital X, XML only the small one. */
                out_append(r->out, "&#x", 3);
                out_append(r->out, s + 3, i + 1 - 3);
                r->stats->repaired++;
            } else out_append(r->out, s, i + 1);
            return i + 1;
        }
        out_append(r->out, "&amp;", 5);
        r->stats->repaired++;
        return 1;
    }
    while (i < n && i < 64 && name_char((unsigned char)s[i])) i++;
    if (i == 1 || i >= n || s[i] != ';' || !name_start((unsigned char)s[1])) {
        out_append(r->out, "&amp;", 5);
        r->stats->repaired++;
        return 1;
    }
    const char *name = s + 1;
    size_t len = i - 1;
    size_t used = i + 1;
    static const char *const predefined[] = {"amp", "lt", "gt", "quot", "apos"};
    for (int k = 0; k < 5; k++)
        if (strlen(predefined[k]) == len && !memcmp(predefined[k], name, len)) { out_append(r->out, s, used); return used; }
    for (int k = r->entity_count - 1; k >= 0; k--) {
        dtd_entity *e = &r->entities[k];
        if (e->name_len != len || memcmp(e->name, name, len)) continue;
        if (e->external) { r->stats->external_entities++; return used; }
        /* Every expansion costs at least a few bytes, so that chains of empty entities
         * cannot make the walk itself exponential. */
        size_t cost = e->value_len + 8;
        if (depth >= 8 || cost > r->budget) {
            r->stats->expansion_capped++;
            r->budget = 0;
            return used;
        }
        r->budget -= cost;
        copy_text(r, e->value, e->value_len, depth + 1);
        return used;
    }
    char buf[65];
    memcpy(buf, name, len);
    buf[len] = 0;
    const htmlEntityDesc *h = htmlEntityLookup((const xmlChar *)buf);
    if (h) {
        char num[16];
        int m = snprintf(num, sizeof num, "&#%u;", h->value);
        out_append(r->out, num, (size_t)m);
        r->stats->html_entities++;
        return used;
    }
    out_append(r->out, "&amp;", 5);
    out_append(r->out, name, len + 1);
    r->stats->unknown_entities++;
    return used;
}

/* Copies markup and text, repairing references and characters (comments and PIs are
 * copied verbatim, CDATA sections only lose control characters). */
/* Bytes the repair pass must look at; everything else is copied in runs. */
static const unsigned char special[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
};

static void copy_text(repair_ctx *r, const char *s, size_t n, int depth) {
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && !special[(unsigned char)s[j]]) j++;
        out_append(r->out, s + i, j - i);
        i = j;
        if (i >= n) break;
        unsigned char c = (unsigned char)s[i];
        if (c == '&') { i += reference(r, s + i, n - i, depth); continue; }
        if (c != '<') { r->stats->control_chars++; i++; continue; }
        const char *rest = s + i;
        size_t left = n - i;
        const char *end = NULL;
        size_t tail = 0;
        if (left >= 9 && !memcmp(rest, "<![CDATA[", 9)) { end = find(rest + 9, left - 9, "]]>"); tail = 3; }
        else if (left >= 4 && !memcmp(rest, "<!--", 4)) { end = find(rest + 4, left - 4, "-->"); tail = 3; }
        else if (left >= 2 && rest[1] == '?') { end = find(rest + 2, left - 2, "?>"); tail = 2; }
        if (tail) {
            size_t stop = end ? (size_t)(end - rest) + tail : left;
            if (rest[1] == '!' && rest[2] == '[') {
                /* A control character inside CDATA is as fatal to libxml2 as anywhere else
                 * (its recovery then loses the section): dropped like those in text. */
                size_t k = 0;
                while (k < stop) {
                    size_t m = k;
                    while (m < stop && !((unsigned char)rest[m] < 0x20 && special[(unsigned char)rest[m]])) m++;
                    out_append(r->out, rest + k, m - k);
                    if (m < stop) { r->stats->control_chars++; m++; }
                    k = m;
                }
            } else {
                out_append(r->out, rest, stop);
            }
            i += stop;
            continue;
        }
        if (left >= 2 && (name_start((unsigned char)rest[1]) || rest[1] == '/' || rest[1] == '!')) {
            out_putc(r->out, '<');
            i++;
            continue;
        }
        out_append(r->out, "&lt;", 4); /* a bare '<' in text ("a < b") */
        r->stats->repaired++;
        i++;
    }
}

/* Reads <!DOCTYPE ...> starting at s; records internal-subset entity declarations and
 * returns the bytes it spans. */
static size_t read_doctype(repair_ctx *r, const char *s, size_t n, dtd_entity **list, int *count, int *cap) {
    size_t i = 9;
    char q = 0;
    while (i < n) {
        char c = s[i];
        if (q) { if (c == q) q = 0; i++; continue; }
        if (c == '"' || c == '\'') { q = c; i++; continue; }
        if (c == '>') return i + 1;
        if (c == '[') break;
        i++;
    }
    if (i >= n) return n;
    i++;
    while (i < n) {
        if (s[i] == ']') {
            i++;
            while (i < n && s[i] != '>') i++;
            return i < n ? i + 1 : n;
        }
        if (n - i >= 4 && !memcmp(s + i, "<!--", 4)) {
            const char *e = find(s + i + 4, n - i - 4, "-->");
            i = e ? (size_t)(e - s) + 3 : n;
            continue;
        }
        if (n - i >= 8 && !memcmp(s + i, "<!ENTITY", 8)) {
            size_t j = i + 8;
            while (j < n && is_space((unsigned char)s[j])) j++;
            int parameter = j < n && s[j] == '%';
            if (parameter) { j++; while (j < n && is_space((unsigned char)s[j])) j++; }
            size_t ns = j;
            while (j < n && name_char((unsigned char)s[j])) j++;
            size_t nl = j - ns;
            while (j < n && is_space((unsigned char)s[j])) j++;
            dtd_entity e = {s + ns, nl, NULL, 0, 0};
            if (j < n && (s[j] == '"' || s[j] == '\'')) {
                char quote = s[j++];
                size_t vs = j;
                while (j < n && s[j] != quote) j++;
                e.value = s + vs;
                e.value_len = j - vs;
                if (j < n) j++;
            } else {
                e.external = 1;
            }
            /* skip to the declaration's '>' */
            char qq = 0;
            while (j < n) {
                char c = s[j];
                if (qq) { if (c == qq) qq = 0; }
                else if (c == '"' || c == '\'') qq = c;
                else if (c == '>') break;
                j++;
            }
            if (!parameter && nl) {
                if (e.external) r->stats->external_declared++;
                if (*count == *cap) {
                    int ncap = *cap ? *cap * 2 : 16;
                    dtd_entity *nlist = realloc(*list, sizeof(dtd_entity) * (size_t)ncap);
                    if (!nlist) return n;
                    *list = nlist;
                    *cap = ncap;
                }
                (*list)[(*count)++] = e;
            }
            i = j < n ? j + 1 : n;
            continue;
        }
        if (s[i] == '"' || s[i] == '\'') {
            char quote = s[i++];
            while (i < n && s[i] != quote) i++;
        }
        i++;
    }
    return n;
}

int ingest_repair_document(const char *s, size_t n, size_t max_expansion, text_buf *out, repair_stats *stats,
                           const char **use, size_t *use_len) {
    memset(stats, 0, sizeof *stats);
    *use = NULL;
    *use_len = 0;
    size_t i = 0;
    if (n >= 3 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB && (unsigned char)s[2] == 0xBF) i = 3;
    const char *lt = memchr(s + i, '<', n - i);
    if (!lt) return 0;
    for (const char *p = s + i; p < lt; p++) if (!is_space((unsigned char)*p)) { stats->junk_before_prolog = 1; break; }
    i = (size_t)(lt - s);
    if (n - i >= 5 && starts_ci(s + i, n - i, "<?xml") && (n - i == 5 || is_space((unsigned char)s[i + 5]))) {
        const char *e = find(s + i, n - i, "?>");
        i = e ? (size_t)(e - s) + 2 : n;
    }
    const size_t body = i;

    /* Dry run first: most feeds need no repair, and then libxml2 reads the caller's
     * bytes as they are, without a copy. */
    {
        repair_ctx dry = {NULL, stats, NULL, 0, max_expansion};
        int has_doctype = 0;
        size_t j = body;
        while (j < n) {
            while (j < n && is_space((unsigned char)s[j])) j++;
            if (j >= n || s[j] != '<') break;
            if (n - j >= 9 && starts_ci(s + j, n - j, "<!doctype")) { has_doctype = 1; break; }
            const char *e = NULL;
            if (n - j >= 4 && !memcmp(s + j, "<!--", 4)) { e = find(s + j + 4, n - j - 4, "-->"); j = e ? (size_t)(e - s) + 3 : n; continue; }
            if (n - j >= 2 && s[j + 1] == '?') { e = find(s + j + 2, n - j - 2, "?>"); j = e ? (size_t)(e - s) + 2 : n; continue; }
            break;
        }
        if (!has_doctype) {
            copy_text(&dry, s + j, n - j, 0);
            if (!stats->repaired && !stats->html_entities && !stats->unknown_entities && !stats->control_chars) {
                *use = s + body;
                *use_len = n - body;
                return 0;
            }
            int junk = stats->junk_before_prolog;
            memset(stats, 0, sizeof *stats);
            stats->junk_before_prolog = junk;
        }
    }

    i = body;
    if (!tb_reserve(out, n - i + 64)) return -1;
    repair_ctx r = {out, stats, NULL, 0, max_expansion};
    int cap = 0;
    /* Prolog: comments, PIs and the DOCTYPE may precede the root element. */
    while (i < n) {
        size_t j = i;
        while (j < n && is_space((unsigned char)s[j])) j++;
        tb_append(out, s + i, j - i);
        i = j;
        if (i >= n || s[i] != '<') break;
        if (n - i >= 9 && starts_ci(s + i, n - i, "<!doctype")) {
            i += read_doctype(&r, s + i, n - i, &r.entities, &r.entity_count, &cap);
            stats->doctype = 1;
            continue;
        }
        if (n - i >= 4 && !memcmp(s + i, "<!--", 4)) {
            const char *e = find(s + i + 4, n - i - 4, "-->");
            size_t stop = e ? (size_t)(e - s) + 3 : n;
            tb_append(out, s + i, stop - i);
            i = stop;
            continue;
        }
        if (n - i >= 2 && s[i + 1] == '?') {
            const char *e = find(s + i + 2, n - i - 2, "?>");
            size_t stop = e ? (size_t)(e - s) + 2 : n;
            tb_append(out, s + i, stop - i);
            i = stop;
            continue;
        }
        break;
    }
    copy_text(&r, s + i, n - i, 0);
    free(r.entities);
    if (out->oom) return -1;
    *use = out->data ? out->data : "";
    *use_len = out->len;
    return 0;
}

int ingest_prolog_scan(const char *s, size_t n, size_t *body, int *junk) {
    size_t i = 0;
    *junk = 0;
    *body = n;
    if (n >= 3 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB && (unsigned char)s[2] == 0xBF) i = 3;
    const char *lt = memchr(s + i, '<', n - i);
    if (!lt) return 0;
    for (const char *p = s + i; p < lt; p++) if (!is_space((unsigned char)*p)) { *junk = 1; break; }
    i = (size_t)(lt - s);
    if (n - i >= 5 && starts_ci(s + i, n - i, "<?xml") && (n - i == 5 || is_space((unsigned char)s[i + 5]))) {
        const char *e = find(s + i, n - i, "?>");
        i = e ? (size_t)(e - s) + 2 : n;
    }
    *body = i;
    size_t j = i;
    while (j < n) {
        while (j < n && is_space((unsigned char)s[j])) j++;
        if (j >= n || s[j] != '<') break;
        if (n - j >= 9 && starts_ci(s + j, n - j, "<!doctype")) return 1;
        const char *e = NULL;
        if (n - j >= 4 && !memcmp(s + j, "<!--", 4)) { e = find(s + j + 4, n - j - 4, "-->"); j = e ? (size_t)(e - s) + 3 : n; continue; }
        if (n - j >= 2 && s[j + 1] == '?') { e = find(s + j + 2, n - j - 2, "?>"); j = e ? (size_t)(e - s) + 2 : n; continue; }
        break;
    }
    return 0;
}
