/* Plain-text rendering shared by the feed reader: HTML fragments to text, white space
 * collapsed, numeric and HTML named entities decoded once. */
#include "ingest_text.h"
#include <libxml/HTMLparser.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* windows-1252's meaning of 0x80-0x9F: feeds that say U+0080..U+009F (as raw bytes or
 * as &#150;) mean these characters; 0 marks the five bytes 1252 leaves undefined. */
static const unsigned short c1_as_1252[32] = {
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
    0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

int tb_reserve(text_buf *b, size_t extra) {
    if (b->oom) return 0;
    if (b->cap - b->len >= extra) return 1;
    size_t ncap = b->cap ? b->cap * 2 : 256;
    while (ncap - b->len < extra) ncap *= 2;
    char *n = realloc(b->data, ncap);
    if (!n) { b->oom = 1; return 0; }
    b->data = n;
    b->cap = ncap;
    return 1;
}

void tb_append(text_buf *b, const char *s, size_t n) {
    if (!n || !tb_reserve(b, n)) return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
}

void tb_putc(text_buf *b, char c) {
    if (!tb_reserve(b, 1)) return;
    b->data[b->len++] = c;
}

void tb_put_codepoint(text_buf *b, unsigned cp) {
    char u[4];
    size_t n;
    if (cp >= 0x80 && cp <= 0x9F) {
        cp = c1_as_1252[cp - 0x80];
        if (!cp) return;
    }
    if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) cp = 0xFFFD;
    if (cp < 0x80) { u[0] = (char)cp; n = 1; }
    else if (cp < 0x800) { u[0] = (char)(0xC0 | (cp >> 6)); u[1] = (char)(0x80 | (cp & 0x3F)); n = 2; }
    else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12)); u[1] = (char)(0x80 | ((cp >> 6) & 0x3F)); u[2] = (char)(0x80 | (cp & 0x3F)); n = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18)); u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); u[3] = (char)(0x80 | (cp & 0x3F)); n = 4;
    }
    tb_append(b, u, n);
}

static int is_alpha(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
static int is_alnum(unsigned char c) { return is_alpha(c) || (c >= '0' && c <= '9'); }

/* libxml2 finds an HTML entity name by a linear scan of its 253 names, with a string
 * compare each; escaped feed HTML is full of &ldquo; and &mdash;. The same table, hashed
 * once per process: every (name, value) pair comes from libxml2 itself (walked by value,
 * the order its table is sorted in), and a name not found falls back to libxml2's lookup,
 * so the answers cannot differ. */
#define ENTITY_SLOTS 1024
static struct { char name[12]; unsigned value; } entity_slots[ENTITY_SLOTS];
static pthread_once_t entity_once = PTHREAD_ONCE_INIT;

static size_t entity_hash(const char *name, size_t len) {
    size_t h = 2166136261u;
    for (size_t k = 0; k < len; k++) h = (h ^ (unsigned char)name[k]) * 16777619u;
    return h & (ENTITY_SLOTS - 1);
}

static void build_entities(void) {
    /* HTML 4's largest entity value is 9830 (&diams;). */
    for (unsigned v = 1; v < 0x2800; v++) {
        const htmlEntityDesc *e = htmlEntityValueLookup(v);
        if (!e || !e->name || e->value != v) continue;
        size_t len = strlen(e->name);
        if (len >= sizeof entity_slots[0].name) continue;
        size_t h = entity_hash(e->name, len);
        while (entity_slots[h].value) h = (h + 1) & (ENTITY_SLOTS - 1);
        memcpy(entity_slots[h].name, e->name, len + 1);
        entity_slots[h].value = v;
    }
}

unsigned ingest_html_entity(const char *name) {
    pthread_once(&entity_once, build_entities);
    size_t len = strlen(name);
    if (len < sizeof entity_slots[0].name) {
        for (size_t h = entity_hash(name, len); entity_slots[h].value; h = (h + 1) & (ENTITY_SLOTS - 1))
            if (!strcmp(entity_slots[h].name, name)) return entity_slots[h].value;
    }
    const htmlEntityDesc *e = htmlEntityLookup((const xmlChar *)name);
    return e ? e->value : 0;
}

/* Reads the entity at s[0]=='&' into *cp. Returns bytes consumed (0 when it is not one). */
static size_t decode_entity(const char *s, size_t n, unsigned *cp_out) {
    if (n < 3) return 0;
    size_t i = 1;
    if (s[1] == '#') {
        unsigned long cp = 0;
        int hex = 0, digits = 0;
        i = 2;
        if (i < n && (s[i] == 'x' || s[i] == 'X')) { hex = 1; i++; }
        while (i < n && digits < 8) {
            unsigned char c = (unsigned char)s[i];
            int v;
            if (c >= '0' && c <= '9') v = c - '0';
            else if (hex && (c | 0x20) >= 'a' && (c | 0x20) <= 'f') v = (c | 0x20) - 'a' + 10;
            else break;
            cp = cp * (hex ? 16 : 10) + (unsigned long)v;
            digits++;
            i++;
        }
        if (!digits) return 0;
        if (i < n && s[i] == ';') i++;
        *cp_out = cp > 0x10FFFF ? 0xFFFD : (unsigned)cp;
        return i;
    }
    char name[33];
    size_t k = 0;
    while (i < n && k < 32 && is_alnum((unsigned char)s[i])) name[k++] = s[i++];
    name[k] = 0;
    if (!k) return 0;
    int semi = i < n && s[i] == ';';
    if (!semi) {
        /* Legacy HTML accepts a few names without ';'. */
        if (strcmp(name, "amp") && strcmp(name, "lt") && strcmp(name, "gt") && strcmp(name, "quot") && strcmp(name, "nbsp"))
            return 0;
    }
    unsigned cp = 0;
    /* The entities feeds use most, without libxml2's linear search of its table. */
    if (!strcmp(name, "apos")) cp = '\'';
    else if (!strcmp(name, "amp")) cp = '&';
    else if (!strcmp(name, "lt")) cp = '<';
    else if (!strcmp(name, "gt")) cp = '>';
    else if (!strcmp(name, "quot")) cp = '"';
    else if (!strcmp(name, "nbsp")) cp = 0xA0;
    else cp = ingest_html_entity(name);
    if (!cp) return 0;
    *cp_out = cp;
    return i + (semi ? 1 : 0);
}

/* Tag names packed into an integer (at most 10 ASCII letters), so that classifying a tag
 * is a few integer compares instead of a strcmp per known name. */
static unsigned long long pack_tag(const char *name) {
    unsigned long long key = 0;
    size_t k = 0;
    for (; name[k] && k < 10; k++) key = key * 37 + (unsigned long long)((unsigned char)name[k] & 0x7F);
    if (name[k]) return 0; /* longer than any tag we know */
    return key + 1;
}

static const char *const block_tags[] = {
    "p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
    "table", "tr", "thead", "tbody", "tfoot", "caption", "section", "article", "header", "footer", "aside", "nav",
    "figure", "figcaption", "hr", "address", "main", "form", "fieldset", "center", "details", "summary", NULL,
};
static const char *const skip_tags[] = {"script", "style", "noscript", "template", "iframe", "object", "svg", "head", NULL};

/* Open-addressing table from packed tag name to class (1 block, 2 skipped content). */
static unsigned long long class_keys[256];
static unsigned char class_values[256];
static int classes_ready;

static void class_put(unsigned long long key, unsigned char value) {
    size_t h = (size_t)(key * 0x9E3779B97F4A7C15ULL >> 56);
    while (class_keys[h] && class_keys[h] != key) h = (h + 1) & 255;
    class_keys[h] = key;
    class_values[h] = value;
}

static void init_keys(void) {
    for (const char *const *t = block_tags; *t; t++) class_put(pack_tag(*t), 1);
    for (const char *const *t = skip_tags; *t; t++) class_put(pack_tag(*t), 2);
    __atomic_store_n(&classes_ready, 1, __ATOMIC_RELEASE);
}

/* 1 for block elements, 2 for elements whose content is never text, 0 otherwise. */
static int tag_class(const char *lower_name) {
    /* Racing initialisers write the same values; the flag only publishes them. */
    if (!__atomic_load_n(&classes_ready, __ATOMIC_ACQUIRE)) init_keys();
    unsigned long long key = pack_tag(lower_name);
    if (!key) return 0;
    size_t h = (size_t)(key * 0x9E3779B97F4A7C15ULL >> 56);
    while (class_keys[h]) {
        if (class_keys[h] == key) return class_values[h];
        h = (h + 1) & 255;
    }
    return 0;
}

int ingest_is_block_tag(const char *lower_name) { return tag_class(lower_name) == 1; }

/* Finds the end '>' of a tag starting at s[i], honouring quoted attribute values. */
static size_t tag_end(const char *s, size_t n, size_t i) {
    /* Fast path: the next '>' with no quote before it. */
    const char *gt = memchr(s + i, '>', n - i);
    if (!gt) return n;
    size_t span = (size_t)(gt - (s + i));
    if (!memchr(s + i, '"', span) && !memchr(s + i, '\'', span)) return (size_t)(gt - s);
    char q = 0;
    for (; i < n; i++) {
        char c = s[i];
        if (q) { if (c == q) q = 0; }
        else if (c == '"' || c == '\'') q = c;
        else if (c == '>') return i;
    }
    return n;
}

static const char *find_ci(const char *s, size_t n, const char *needle) {
    size_t m = strlen(needle);
    for (size_t i = 0; i + m <= n; i++) {
        size_t k = 0;
        while (k < m && (char)(s[i + k] | ((s[i + k] >= 'A' && s[i + k] <= 'Z') ? 0x20 : 0)) == needle[k]) k++;
        if (k == m) return s + i;
    }
    return NULL;
}

/* Bytes that end a run of ordinary text: white space and controls, '<', '&', and 0xC2
 * (the lead byte of U+0080..U+00A0, which need mapping). */
static unsigned char run_stop[256];
static int run_stop_ready;

static void init_run_stop(void) {
    for (int c = 0; c <= ' '; c++) run_stop[c] = 1;
    run_stop['<'] = run_stop['&'] = run_stop[0xC2] = run_stop[0xC3] = 1;
    __atomic_store_n(&run_stop_ready, 1, __ATOMIC_RELEASE);
}

#define BYTES_ONES 0x0101010101010101ULL
#define BYTES_HIGHS 0x8080808080808080ULL

/* Non-zero when a byte of `v` is zero (exact as to whether any is). */
static inline uint64_t has_zero_byte(uint64_t v) { return (v - BYTES_ONES) & ~v & BYTES_HIGHS; }

/* Non-zero when any of the eight bytes is in run_stop: below 0x21, '<', '&', 0xC2, 0xC3. */
static inline uint64_t has_run_stop(uint64_t w) {
    return ((w - BYTES_ONES * 0x21) & ~w & BYTES_HIGHS) | has_zero_byte(w ^ (BYTES_ONES * '<')) |
           has_zero_byte(w ^ (BYTES_ONES * '&')) | has_zero_byte(w ^ (BYTES_ONES * 0xC2)) |
           has_zero_byte(w ^ (BYTES_ONES * 0xC3));
}

/* Where the run of ordinary text that continues at s[j] ends: the first byte in run_stop,
 * except a single space followed by an ordinary byte (words need no collapsing). */
static size_t run_end(const char *s, size_t n, size_t j) {
#if defined(__SSE2__)
    /* Sixteen bytes at a time (long runs are the rule: Chinese text has no spaces, and
     * English has only single ones); byte s[j + 16] decides a space in the last lane. */
    const __m128i sp = _mm_set1_epi8(' '), lt = _mm_set1_epi8('<'), amp = _mm_set1_epi8('&');
    const __m128i c2 = _mm_set1_epi8((char)0xC2), c3 = _mm_set1_epi8((char)0xC3);
    while (j + 16 < n) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + j));
        __m128i stop = _mm_cmpeq_epi8(_mm_max_epu8(x, sp), sp); /* bytes <= 0x20 */
        stop = _mm_or_si128(stop, _mm_or_si128(_mm_cmpeq_epi8(x, lt), _mm_cmpeq_epi8(x, amp)));
        stop = _mm_or_si128(stop, _mm_or_si128(_mm_cmpeq_epi8(x, c2), _mm_cmpeq_epi8(x, c3)));
        unsigned m = (unsigned)_mm_movemask_epi8(stop);
        if (m) {
            unsigned spaces = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, sp));
            unsigned next_stops = (m >> 1) | ((unsigned)run_stop[(unsigned char)s[j + 16]] << 15);
            unsigned bad = (m & ~spaces) | (spaces & next_stops);
            if (bad) return j + (size_t)__builtin_ctz(bad);
        }
        j += 16;
    }
#endif
    /* Eight bytes at a time while none of them ends a run, then byte by byte. */
    for (;;) {
        while (j + 8 <= n) {
            uint64_t w;
            memcpy(&w, s + j, 8);
            if (has_run_stop(w)) break;
            j += 8;
        }
        size_t lim = j + 8 < n ? j + 8 : n;
        while (j < lim) {
            unsigned char d = (unsigned char)s[j];
            if (!run_stop[d]) { j++; continue; }
            if (d == ' ' && j + 1 < n && !run_stop[(unsigned char)s[j + 1]]) { j += 2; continue; }
            return j;
        }
        if (j >= n) return n;
    }
}

void ingest_render_text(const char *s, size_t n, int mode, text_buf *out) {
    if (!__atomic_load_n(&run_stop_ready, __ATOMIC_ACQUIRE)) init_run_stop();
    /* Pending separator: 0 none, 1 space, 2 line break. Emitted lazily so that runs collapse
     * and nothing trails at either end. */
    int pending = 0, newlines = 0;
    size_t start_len = out->len;
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f') {
            if (c == '\n') newlines++;
            if (pending < 1) pending = 1;
            if (mode == INGEST_TEXT_PLAIN && newlines >= 2) pending = 2;
            i++;
            continue;
        }
        if (c == INGEST_BREAK_MARK) { pending = 2; i++; continue; }
        if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0) { /* no-break space */
            if (pending < 1) pending = 1;
            i += 2;
            continue;
        }
        if (mode == INGEST_TEXT_HTML && c == '<' && i + 1 < n) {
            unsigned char d = (unsigned char)s[i + 1];
            if (d == '!' && i + 3 < n && s[i + 2] == '-' && s[i + 3] == '-') {
                const char *e = find_ci(s + i + 4, n - i - 4, "-->");
                i = e ? (size_t)(e - s) + 3 : n;
                continue;
            }
            if (d == '!' || d == '?') { i = tag_end(s, n, i) + 1; continue; }
            int closing = d == '/';
            size_t j = i + 1 + (size_t)closing;
            if (j < n && is_alpha((unsigned char)s[j])) {
                char name[16];
                size_t k = 0;
                while (j < n && (is_alnum((unsigned char)s[j]) || s[j] == ':' || s[j] == '-')) {
                    if (k < 15) name[k++] = (char)(s[j] | ((s[j] >= 'A' && s[j] <= 'Z') ? 0x20 : 0));
                    j++;
                }
                name[k] = 0;
                size_t e = tag_end(s, n, j);
                if (e >= n) { /* "<b" with no '>' at all: text, not a tag */
                    goto literal;
                }
                i = e + 1;
                int cls = tag_class(name);
                if (!closing && cls == 2 && !(e > 0 && s[e - 1] == '/')) {
                    char close[20] = "</";
                    strcat(close, name);
                    const char *end = find_ci(s + i, n - i, close);
                    i = end ? tag_end(s, n, (size_t)(end - s)) + 1 : n;
                    if (pending < 1) pending = 1;
                    continue;
                }
                if (cls == 1) pending = 2;
                else if (!strcmp(name, "td") || !strcmp(name, "th") || !strcmp(name, "img")) { if (pending < 1) pending = 1; }
                continue;
            }
        }
    literal:
        if (mode == INGEST_TEXT_HTML && c == '&') {
            unsigned cp = 0;
            size_t used = decode_entity(s + i, n - i, &cp);
            if (used) {
                i += used;
                if (cp == 0xA0 || cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r') {
                    if (pending < 1) pending = 1;
                    continue;
                }
                if (out->len > start_len && pending) tb_putc(out, pending == 2 ? '\n' : ' ');
                pending = 0;
                newlines = 0;
                tb_put_codepoint(out, cp);
                continue;
            }
        }
        if (out->len > start_len && pending) tb_putc(out, pending == 2 ? '\n' : ' ');
        pending = 0;
        newlines = 0;
        if (c == 0xC3 && i + 3 < n) {
            /* UTF-8 read as Latin-1 and encoded again ("â€¦" for "…"): a lead character
             * U+00C2..U+00F4 followed by the right number of U+0080..U+00BF. Only undone
             * when one of those is a C1 control, which real text never contains, so
             * that a genuine "Ã©" stays as written. */
            unsigned lead = 0xC0 + ((unsigned char)s[i + 1] & 0x3F);
            int need = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC2 ? 1 : 0;
            if (need && lead <= 0xF4) {
                unsigned cp = lead & (need == 1 ? 0x1F : need == 2 ? 0x0F : 0x07);
                int ok = 1, c1 = 0;
                size_t k = i + 2;
                for (int m = 0; m < need; m++, k += 2) {
                    if (k + 1 >= n || (unsigned char)s[k] != 0xC2) { ok = 0; break; }
                    unsigned b = (unsigned char)s[k + 1];
                    if (b < 0x80 || b > 0xBF) { ok = 0; break; }
                    if (b <= 0x9F) c1 = 1;
                    cp = (cp << 6) | (b & 0x3F);
                }
                unsigned min = need == 1 ? 0x80 : need == 2 ? 0x800 : 0x10000;
                if (ok && c1 && cp >= min && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF)) {
                    tb_put_codepoint(out, cp);
                    i = k;
                    continue;
                }
            }
        }
        if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 && (unsigned char)s[i + 1] <= 0x9F) {
            tb_put_codepoint(out, (unsigned char)s[i + 1]);
            i += 2;
            continue;
        }
        /* Copy a run of ordinary bytes at once. */
        size_t j = run_end(s, n, i + 1);
        tb_append(out, s + i, j - i);
        i = j;
    }
}

int ingest_html_to_text(const char *html, size_t len, char **out, size_t *out_len) {
    text_buf b = {0};
    ingest_render_text(html, len, INGEST_TEXT_HTML, &b);
    if (b.oom) { free(b.data); *out = NULL; *out_len = 0; return -1; }
    *out = b.data;
    *out_len = b.len;
    return 0;
}
