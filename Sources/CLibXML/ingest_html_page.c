/* One pass over libxml2's HTML tree that reduces a news page to tables of plain C
 * types (see ingest_html_page.h). The walk is iterative so that hostile nesting depth
 * cannot exhaust the stack. */
#include "ingest_html_page.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <stdio.h>
#include <pthread.h>

struct ingest_html_page {
    ingest_html_node *nodes; size_t node_count, node_cap;
    ingest_html_block *blocks; size_t block_count, block_cap;
    ingest_html_meta *metas; size_t meta_count, meta_cap;
    char *pool; size_t pool_len, pool_cap;
    char *encoding;
};

/* ---- growable storage ---- */

static int grow(void **ptr, size_t *cap, size_t need, size_t elem) {
    if (need <= *cap) return 1;
    size_t ncap = *cap ? *cap * 2 : 64;
    while (ncap < need) ncap *= 2;
    void *n = realloc(*ptr, ncap * elem);
    if (!n) return 0;
    *ptr = n; *cap = ncap;
    return 1;
}

static uint32_t pool_add(ingest_html_page *p, const char *s, size_t len) {
    if (!grow((void **)&p->pool, &p->pool_cap, p->pool_len + len + 1, 1)) return (uint32_t)p->pool_len;
    uint32_t off = (uint32_t)p->pool_len;
    memcpy(p->pool + p->pool_len, s, len);
    p->pool_len += len;
    return off;
}

/* ---- tag classification ---- */

enum { KIND_INLINE = 0, KIND_BLOCK, KIND_SKIP, KIND_BR, KIND_HEADISH, KIND_A };

typedef struct { const char *name; uint8_t kind; uint16_t tag; } tag_entry;

static const tag_entry tag_table[] = {
    {"p", KIND_BLOCK, INGEST_HTML_TAG_P}, {"div", KIND_BLOCK, INGEST_HTML_TAG_DIV},
    {"section", KIND_BLOCK, INGEST_HTML_TAG_SECTION}, {"article", KIND_BLOCK, INGEST_HTML_TAG_ARTICLE},
    {"main", KIND_BLOCK, INGEST_HTML_TAG_MAIN}, {"aside", KIND_BLOCK, INGEST_HTML_TAG_ASIDE},
    {"header", KIND_BLOCK, INGEST_HTML_TAG_HEADER}, {"footer", KIND_BLOCK, INGEST_HTML_TAG_FOOTER},
    {"nav", KIND_BLOCK, INGEST_HTML_TAG_NAV}, {"h1", KIND_BLOCK, INGEST_HTML_TAG_H1},
    {"h2", KIND_BLOCK, INGEST_HTML_TAG_H2}, {"h3", KIND_BLOCK, INGEST_HTML_TAG_H3},
    {"h4", KIND_BLOCK, INGEST_HTML_TAG_H4}, {"h5", KIND_BLOCK, INGEST_HTML_TAG_H5},
    {"h6", KIND_BLOCK, INGEST_HTML_TAG_H6}, {"li", KIND_BLOCK, INGEST_HTML_TAG_LI},
    {"ul", KIND_BLOCK, INGEST_HTML_TAG_UL}, {"ol", KIND_BLOCK, INGEST_HTML_TAG_OL},
    {"table", KIND_BLOCK, INGEST_HTML_TAG_TABLE}, {"tr", KIND_BLOCK, INGEST_HTML_TAG_TR},
    {"td", KIND_BLOCK, INGEST_HTML_TAG_TD}, {"th", KIND_BLOCK, INGEST_HTML_TAG_TH},
    {"blockquote", KIND_BLOCK, INGEST_HTML_TAG_BLOCKQUOTE}, {"pre", KIND_BLOCK, INGEST_HTML_TAG_PRE},
    {"form", KIND_BLOCK, INGEST_HTML_TAG_FORM}, {"body", KIND_BLOCK, INGEST_HTML_TAG_BODY},
    {"figure", KIND_BLOCK, INGEST_HTML_TAG_FIGURE}, {"figcaption", KIND_BLOCK, INGEST_HTML_TAG_FIGCAPTION},
    {"dl", KIND_BLOCK, INGEST_HTML_TAG_DL}, {"dd", KIND_BLOCK, INGEST_HTML_TAG_DD},
    {"dt", KIND_BLOCK, INGEST_HTML_TAG_DT}, {"center", KIND_BLOCK, INGEST_HTML_TAG_CENTER},
    {"html", KIND_BLOCK, INGEST_HTML_TAG_HTML}, {"address", KIND_BLOCK, INGEST_HTML_TAG_ADDRESS},
    {"time", KIND_INLINE, INGEST_HTML_TAG_TIME},
    {"tbody", KIND_BLOCK, 0}, {"thead", KIND_BLOCK, 0}, {"tfoot", KIND_BLOCK, 0},
    {"caption", KIND_BLOCK, 0}, {"fieldset", KIND_BLOCK, 0}, {"details", KIND_BLOCK, 0},
    {"summary", KIND_BLOCK, 0}, {"menu", KIND_BLOCK, 0}, {"hr", KIND_BLOCK, 0},
    {"hgroup", KIND_BLOCK, 0}, {"legend", KIND_BLOCK, 0},
    {"br", KIND_BR, 0}, {"meta", KIND_HEADISH, 0}, {"link", KIND_HEADISH, 0}, {"title", KIND_HEADISH, 0},
    {"a", KIND_A, 0},
    {"script", KIND_SKIP, 0}, {"style", KIND_SKIP, 0}, {"noscript", KIND_SKIP, 0},
    {"template", KIND_SKIP, 0}, {"iframe", KIND_SKIP, 0}, {"svg", KIND_SKIP, 0},
    {"object", KIND_SKIP, 0}, {"embed", KIND_SKIP, 0}, {"select", KIND_SKIP, 0},
    {"textarea", KIND_SKIP, 0}, {"button", KIND_SKIP, 0}, {"canvas", KIND_SKIP, 0},
    {"video", KIND_SKIP, 0}, {"audio", KIND_SKIP, 0}, {"map", KIND_SKIP, 0},
    {"head", KIND_SKIP, 0}, {"input", KIND_SKIP, 0}, {"math", KIND_SKIP, 0},
    {NULL, 0, 0}
};

/* Tag lookup bucketed by first letter: libxml2's HTML parser lower-cases names, and this
 * runs for every element of every page. */
static const tag_entry *buckets[26][16];

static void build_buckets(void) {
    for (const tag_entry *t = tag_table; t->name; t++) {
        int b = t->name[0] - 'a';
        int k = 0;
        while (buckets[b][k]) k++;
        buckets[b][k] = t;
    }
}

static const tag_entry *classify(const xmlChar *name) {
    int c = name[0];
    if (c >= 'A' && c <= 'Z') c += 32;
    if (c < 'a' || c > 'z') return NULL;
    for (const tag_entry *const *t = buckets[c - 'a']; *t; t++)
        if (xmlStrcasecmp(name, (const xmlChar *)(*t)->name) == 0) return *t;
    return NULL;
}

/* ---- class/id hints ---- */

/* Class/id words and the hints they carry. Matched in one pass over the lower-cased
 * "class id" string: at each position only the words starting with that byte are tried
 * (60 strstr scans per element showed up in profiles). */
#define NEG INGEST_HTML_HINT_NEGATIVE
#define COM (INGEST_HTML_HINT_COMMENT | INGEST_HTML_HINT_NEGATIVE)
#define NAV INGEST_HTML_HINT_NAV
#define POS INGEST_HTML_HINT_POSITIVE
#define SUM INGEST_HTML_HINT_SUMMARY
#define BYL INGEST_HTML_HINT_BYLINE
#define TTL INGEST_HTML_HINT_TITLE

typedef struct { const char *word; uint8_t len; uint32_t hints; } hint_word;

static const hint_word hint_words[] = {
    {"comment", 7, COM}, {"reply", 5, COM}, {"discuss", 7, COM}, {"pinglun", 7, COM},
    {"share", 5, NEG}, {"sidebar", 7, NEG}, {"side-bar", 8, NEG}, {"related", 7, NEG}, {"recommend", 9, NEG},
    {"footer", 6, NEG | NAV}, {"copyright", 9, NEG}, {"advert", 6, NEG}, {"sponsor", 7, NEG}, {"promo", 5, NEG},
    {"banner", 6, NEG}, {"social", 6, NEG}, {"widget", 6, NEG}, {"popup", 5, NEG}, {"modal", 5, NEG},
    {"login", 5, NEG}, {"subscribe", 9, NEG}, {"newsletter", 10, NEG}, {"outbrain", 8, NEG}, {"taboola", 7, NEG},
    {"hidden", 6, NEG}, {"shoutbox", 8, NEG}, {"skyscraper", 10, NEG}, {"xgxw", 4, NEG}, {"hotnews", 7, NEG},
    {"rank", 4, NEG}, {"toolbar", 7, NEG}, {"gdpr", 4, NEG}, {"cookie", 6, NEG}, {"masthead", 8, NEG},
    {"combx", 5, NEG}, {"-ad-", 4, NEG}, {" ad ", 4, NEG}, {"_ad_", 4, NEG}, {"-ads", 4, NEG}, {"_ads", 4, NEG},
    {" ads", 4, NEG}, {"legends", 7, NEG}, {"disqus", 6, NEG}, {"supplemental", 12, NEG}, {"ad-break", 8, NEG},
    {"agegate", 7, NEG}, {"ai2html", 7, NEG},
    {"nav", 3, NAV}, {"menu", 4, NAV}, {"breadcrumb", 10, NAV}, {"crumb", 5, NAV}, {"topbar", 6, NAV},
    {"top-bar", 7, NAV}, {"channel", 7, NAV}, {"pagination", 10, NAV}, {"pager", 5, NAV},
    {"article", 7, POS}, {"content", 7, POS}, {"entry", 5, POS}, {"post", 4, POS}, {"text", 4, POS},
    {"story", 5, POS}, {"main", 4, POS}, {"body", 4, POS}, {"zw", 2, POS}, {"detail", 6, POS}, {"blog", 4, POS},
    {"news", 4, POS},
    {"summary", 7, SUM}, {"abstract", 8, SUM}, {"digest", 6, SUM}, {"excerpt", 7, SUM}, {"standfirst", 10, SUM},
    {"lead", 4, SUM}, {"insight", 7, SUM}, {"intro", 5, SUM}, {"dek", 3, SUM}, {"zhaiyao", 7, SUM}, {"daodu", 5, SUM},
    {"byline", 6, BYL}, {"author", 6, BYL}, {"source", 6, BYL}, {"time", 4, BYL}, {"date", 4, BYL}, {"info", 4, BYL},
    {"meta", 4, BYL}, {"from", 4, BYL}, {"publish", 7, BYL}, {"laiyuan", 7, BYL},
    {"headline", 8, TTL}, {"title", 5, TTL},
    {NULL, 0, 0}
};

static const hint_word *hint_buckets[128][16];

static void build_hint_buckets(void) {
    for (const hint_word *w = hint_words; w->word; w++) {
        unsigned char c = (unsigned char)w->word[0];
        int k = 0;
        while (hint_buckets[c][k]) k++;
        hint_buckets[c][k] = w;
    }
}

static uint32_t hints_for(const char *lower) {
    uint32_t h = 0;
    if (!*lower) return 0;
    for (const char *s = lower; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 128) continue;
        /* Every word has at least two letters: the second decides most candidates
           without a call (s[1] may be the terminating NUL, which matches none). */
        for (const hint_word *const *w = hint_buckets[c]; *w; w++)
            if (s[1] == (*w)->word[1] && strncmp(s, (*w)->word, (*w)->len) == 0) h |= (*w)->hints;
    }
    if (strncmp(lower, "ad ", 3) == 0 || strcmp(lower, "ad") == 0 || strncmp(lower, "ads", 3) == 0)
        h |= INGEST_HTML_HINT_NEGATIVE;
    return h;
}

/* ---- text accumulation ---- */

typedef struct {
    char *buf; size_t len, cap;
    uint32_t chars, link_chars, punct;
    int pending_space;   /* collapse white space: emit one space before the next visible char */
    int all_in_link;     /* every visible char so far sits inside <a> */
} text_acc;

static int acc_put(text_acc *a, const char *s, size_t n) {
    if (!grow((void **)&a->buf, &a->cap, a->len + n + 1, 1)) return 0;
    memcpy(a->buf + a->len, s, n);
    a->len += n;
    return 1;
}

static int is_punct(uint32_t c) {
    switch (c) {
    case ',': case '.': case ';': case ':': case '!': case '?':
    case 0xFF0C: case 0x3002: case 0xFF1B: case 0xFF1A: case 0xFF01: case 0xFF1F: case 0x3001:
    case 0x201C: case 0x201D: case 0x300A: case 0x300B: case 0x2026:
        return 1;
    default:
        return 0;
    }
}

/* Appends a UTF-8 text node, collapsing white space (incl. NBSP and U+3000). */
static void acc_text(text_acc *a, const xmlChar *s, int in_link) {
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned char c = *p;
        uint32_t cp; int n;
        if (c < 0x80) { cp = c; n = 1; }
        else if ((c & 0xE0) == 0xC0 && p[1]) { cp = ((c & 0x1F) << 6) | (p[1] & 0x3F); n = 2; }
        else if ((c & 0xF0) == 0xE0 && p[1] && p[2]) { cp = ((c & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F); n = 3; }
        else if ((c & 0xF8) == 0xF0 && p[1] && p[2] && p[3]) { cp = ((c & 0x07) << 18) | ((p[1] & 0x3F) << 12) | ((p[2] & 0x3F) << 6) | (p[3] & 0x3F); n = 4; }
        else { p++; continue; }
        if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == 0xA0 || cp == 0x3000 ||
            cp == 0x200B || cp == 0xFEFF || (cp >= 0x2000 && cp <= 0x200A)) {
            if (a->len > 0 && a->buf[a->len - 1] != '\n') a->pending_space = 1;
            p += n;
            continue;
        }
        if (cp < 0x20) { p += n; continue; }
        if (a->pending_space) { acc_put(a, " ", 1); a->pending_space = 0; }
        acc_put(a, (const char *)p, (size_t)n);
        a->chars++;
        if (in_link) a->link_chars++; else a->all_in_link = 0;
        if (is_punct(cp)) a->punct++;
        p += n;
    }
}

static void acc_newline(text_acc *a) {
    a->pending_space = 0;
    if (a->len > 0 && a->buf[a->len - 1] != '\n') acc_put(a, "\n", 1);
}

/* ---- the walk ---- */

typedef struct {
    int32_t node;      /* recorded node index */
    xmlNode *element;
} open_block;

typedef struct {
    ingest_html_page *page;
    text_acc acc;
    open_block *stack; size_t depth, cap;
    int link_depth;
    int hidden_depth;
} walker;

static void flush(walker *w) {
    text_acc *a = &w->acc;
    while (a->len > 0 && (a->buf[a->len - 1] == '\n' || a->buf[a->len - 1] == ' ')) a->len--;
    if (a->chars > 0 && w->depth > 0) {
        ingest_html_page *p = w->page;
        if (grow((void **)&p->blocks, &p->block_cap, p->block_count + 1, sizeof(ingest_html_block))) {
            ingest_html_block *b = &p->blocks[p->block_count++];
            b->node = w->stack[w->depth - 1].node;
            b->text_len = (uint32_t)a->len;
            b->text_off = pool_add(p, a->buf, a->len);
            b->chars = a->chars;
            b->link_chars = a->link_chars;
            b->punct = a->punct;
            b->hints = a->all_in_link ? INGEST_HTML_HINT_IN_LINK : 0;
            ingest_html_node *n = &p->nodes[b->node];
            n->text_chars += a->chars;
            n->link_chars += a->link_chars;
            n->punct += a->punct;
            n->paragraphs += 1;
        }
    }
    a->len = 0; a->chars = 0; a->link_chars = 0; a->punct = 0; a->pending_space = 0; a->all_in_link = 1;
}

static char *attr(xmlNode *n, const char *name) {
    return (char *)xmlGetProp(n, (const xmlChar *)name);
}

/* An attribute's value in place (no copy) when it is one text node, as the HTML parser
 * builds them; NULL when absent or when the value would need assembling. */
static const char *attr_ref(xmlNode *n, const char *name) {
    for (xmlAttr *a = n->properties; a; a = a->next) {
        if (!a->name || xmlStrcasecmp(a->name, (const xmlChar *)name) != 0) continue;
        if (!a->children) return "";
        if (a->children->type == XML_TEXT_NODE && !a->children->next && a->children->content)
            return (const char *)a->children->content;
        return NULL;
    }
    return NULL;
}

static void add_meta(ingest_html_page *p, uint32_t kind, int32_t node, const char *k, size_t klen,
                     const char *v, size_t vlen) {
    if (!grow((void **)&p->metas, &p->meta_cap, p->meta_count + 1, sizeof(ingest_html_meta))) return;
    ingest_html_meta *m = &p->metas[p->meta_count++];
    m->kind = kind;
    m->node = node;
    m->key_off = pool_add(p, k ? k : "", k ? klen : 0); m->key_len = (uint32_t)(k ? klen : 0);
    m->value_off = pool_add(p, v ? v : "", v ? vlen : 0); m->value_len = (uint32_t)(v ? vlen : 0);
}

/* Raw text of an element's subtree (for <title>, JSON-LD, <time>, itemprop). */
static void collect_text_depth(xmlNode *n, text_acc *out, int raw, int depth) {
    if (depth > 32) return;  /* hostile nesting inside <title>/<time>: keep the stack bounded */
    for (xmlNode *c = n->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            if (!c->content) continue;
            if (raw) acc_put(out, (const char *)c->content, strlen((const char *)c->content));
            else acc_text(out, c->content, 0);
        } else if (c->type == XML_ELEMENT_NODE && out->len < 4096) {
            collect_text_depth(c, out, raw, depth + 1);
        }
    }
}

static void collect_text(xmlNode *n, text_acc *out, int raw) { collect_text_depth(n, out, raw, 0); }

/* Publication times that portals only keep in inline script variables (qq's window.DATA
 * `"pubtime"`, WeChat's `var ct = "<unix time>"`): recorded as `script:<name>` metas. */
static const char *const script_keys[][2] = {
    {"\"pubtime\"", "pubtime"}, {"\"publish_time\"", "publish_time"}, {"\"publishTime\"", "publishtime"},
    {"\"pubDate\"", "pubdate"}, {"\"publishDate\"", "publishdate"}, {"\"datePublished\"", "datepublished"},
    {"\"publish_date\"", "publish_date"}, {"\"ptime\"", "ptime"}, {"var ct", "ct"},
    {"publish_time =", "publish_time"}, {NULL, NULL}
};

static void scan_script(ingest_html_page *p, xmlNode *n, int32_t node) {
    if (xmlHasProp(n, (const xmlChar *)"src")) return;
    for (xmlNode *c = n->children; c; c = c->next) {
        if ((c->type != XML_TEXT_NODE && c->type != XML_CDATA_SECTION_NODE) || !c->content) continue;
        const char *text = (const char *)c->content;
        int found = 0;
        /* One pass: keys start with '"', 'v' or 'p'; compare only there. */
        for (const char *s = text; *s && found < 4; s++) {
            if (*s != '"' && *s != 'v' && *s != 'p') continue;
            for (int k = 0; script_keys[k][0]; k++) {
                const char *key = script_keys[k][0];
                /* Scripts are long and full of quotes: the second byte (NUL at the end
                   of the text, matching no key) rules out nearly all before a call. */
                if (*key != *s || key[1] != s[1]) continue;
                size_t klen = strlen(key);
                if (strncmp(s, key, klen) != 0) continue;
                const char *v = s + klen;
                while (*v == ' ' || *v == ':' || *v == '=' || *v == '\t') v++;
                if (*v != '"' && *v != '\'') break;
                char quote = *v++;
                const char *end = strchr(v, quote);
                if (!end || end - v < 6 || end - v > 40) break;
                char name[48];
                snprintf(name, sizeof name, "script:%s", script_keys[k][1]);
                add_meta(p, INGEST_HTML_META_NAME, node, name, strlen(name), v, (size_t)(end - v));
                found++;
                break;
            }
        }
    }
}

static void head_element(walker *w, xmlNode *n, int32_t node) {
    ingest_html_page *p = w->page;
    const char *name = (const char *)n->name;
    if (xmlStrcasecmp(n->name, (const xmlChar *)"meta") == 0) {
        char *content = attr(n, "content");
        if (!content) {
            char *cs = attr(n, "charset");
            if (cs) { add_meta(p, INGEST_HTML_META_NAME, node, "charset", 7, cs, strlen(cs)); xmlFree(cs); }
            return;
        }
        const char *keys[] = {"name", "property", "itemprop", "http-equiv"};
        for (int i = 0; i < 4; i++) {
            char *k = attr(n, keys[i]);
            if (k) {
                add_meta(p, INGEST_HTML_META_NAME, node, k, strlen(k), content, strlen(content));
                xmlFree(k);
            }
        }
        xmlFree(content);
    } else if (xmlStrcasecmp(n->name, (const xmlChar *)"link") == 0) {
        char *rel = attr(n, "rel"), *href = attr(n, "href");
        if (rel && href) add_meta(p, INGEST_HTML_META_LINK, node, rel, strlen(rel), href, strlen(href));
        if (rel) xmlFree(rel);
        if (href) xmlFree(href);
    } else if (xmlStrcasecmp(n->name, (const xmlChar *)"title") == 0) {
        /* Only the document title, not SVG <title>s inside the body. */
        int in_head = 0;
        for (xmlNode *a = n->parent; a; a = a->parent)
            if (a->type == XML_ELEMENT_NODE && a->name && xmlStrcasecmp(a->name, (const xmlChar *)"head") == 0) in_head = 1;
        if (!in_head && node >= 0) return;
        text_acc t = {0}; t.all_in_link = 1;
        collect_text(n, &t, 0);
        add_meta(p, INGEST_HTML_META_TITLE, node, NULL, 0, t.buf, t.len);
        free(t.buf);
    } else if (xmlStrcasecmp(n->name, (const xmlChar *)"script") == 0) {
        char *type = attr(n, "type");
        if (type && strstr(type, "ld+json")) {
            text_acc t = {0};
            collect_text(n, &t, 1);
            if (t.len < 1 << 20) add_meta(p, INGEST_HTML_META_JSONLD, node, NULL, 0, t.buf, t.len);
            free(t.buf);
        } else if (!type || strstr(type, "javascript")) {
            scan_script(p, n, node);
        }
        if (type) xmlFree(type);
    }
    (void)name;
}

static void record_node(walker *w, xmlNode *n, uint16_t tag) {
    ingest_html_page *p = w->page;
    if (!grow((void **)&p->nodes, &p->node_cap, p->node_count + 1, sizeof(ingest_html_node))) return;
    int32_t idx = (int32_t)p->node_count++;
    ingest_html_node *rec = &p->nodes[idx];
    memset(rec, 0, sizeof(*rec));
    rec->parent = w->depth > 0 ? w->stack[w->depth - 1].node : -1;
    rec->subtree_end = idx;
    rec->tag = tag;
    rec->depth = (uint16_t)(w->depth > 0xFFFF ? 0xFFFF : w->depth);
    char lower[512]; size_t ll = 0;
    const char *cls = NULL, *id = NULL;
    if (n->properties) { cls = attr_ref(n, "class"); id = attr_ref(n, "id"); }
    size_t attr_start = p->pool_len;
    if (cls) { pool_add(p, cls, strlen(cls)); }
    if (id) { pool_add(p, " ", 1); pool_add(p, id, strlen(id)); }
    rec = &p->nodes[idx];
    rec->attr_off = (uint32_t)attr_start;
    rec->attr_len = (uint32_t)(p->pool_len - attr_start);
    /* A paragraph's id is a CMS's random anchor (`NavzzU`, `rRIM9r`), not a role: only
     * its class may mark it as furniture. */
    size_t hint_len = rec->attr_len;
    if (tag == INGEST_HTML_TAG_P) hint_len = cls ? strlen(cls) : 0;
    for (size_t i = 0; i < hint_len && ll < sizeof(lower) - 1; i++)
        lower[ll++] = (char)tolower((unsigned char)p->pool[attr_start + i]);
    lower[ll] = 0;
    rec->hints = hints_for(lower);
    /* The publisher's own schema.org mark outranks class-name guesses: a body wrapper
     * whose id names a share widget (`gigya-share-btns-2_gig_containerParent`) is still
     * the article when it says itemprop="articleBody". */
    if (n->properties) {
        const char *prop = attr_ref(n, "itemprop");
        if (prop && (strstr(prop, "articleBody") || strstr(prop, "articlebody")))
            rec->hints |= INGEST_HTML_HINT_ARTICLE_BODY | INGEST_HTML_HINT_POSITIVE;
    }
    if (rec->parent >= 0) {
        ingest_html_node *par = &p->nodes[rec->parent];
        rec->inherited = par->inherited | par->hints;
    }
    if (!grow((void **)&w->stack, &w->cap, w->depth + 1, sizeof(open_block))) return;
    w->stack[w->depth].node = idx;
    w->stack[w->depth].element = n;
    w->depth++;
}

static int is_hidden(xmlNode *n) {
    if (!n->properties) return 0;
    if (attr_ref(n, "hidden")) return 1;
    const char *style = attr_ref(n, "style");
    if (!style) return 0;
    int hidden = 0;
    char compact[256]; size_t k = 0;
    for (const char *s = style; *s && k < sizeof(compact) - 1; s++)
        if (!isspace((unsigned char)*s)) compact[k++] = (char)tolower((unsigned char)*s);
    compact[k] = 0;
    if (strstr(compact, "display:none") || strstr(compact, "visibility:hidden")) hidden = 1;
    return hidden;
}

static int32_t current_node(walker *w) { return w->depth > 0 ? w->stack[w->depth - 1].node : -1; }

/* Returns 1 when the walk should descend into the element. */
static int enter(walker *w, xmlNode *n) {
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
        if (n->content && w->depth > 0) acc_text(&w->acc, n->content, w->link_depth > 0);
        return 0;
    }
    if (n->type != XML_ELEMENT_NODE || !n->name) return 0;
    const tag_entry *t = classify(n->name);
    uint8_t kind = t ? t->kind : KIND_INLINE;
    if (kind == KIND_SKIP) {
        if (xmlStrcasecmp(n->name, (const xmlChar *)"head") == 0) {
            /* metadata only */
            for (xmlNode *c = n->children; c; c = c->next)
                if (c->type == XML_ELEMENT_NODE) head_element(w, c, -1);
        } else if (xmlStrcasecmp(n->name, (const xmlChar *)"script") == 0) {
            head_element(w, n, current_node(w));
        }
        return 0;
    }
    if (kind == KIND_HEADISH) {
        head_element(w, n, current_node(w));
        return 0;
    }
    if (kind != KIND_BR && is_hidden(n)) return 0;
    /* itemprop and <time> carry dates and authors in the body */
    char *itemprop = n->properties ? attr(n, "itemprop") : NULL;
    if (itemprop) {
        char *v = attr(n, "content");
        if (!v) v = attr(n, "datetime");
        if (v) {
            add_meta(w->page, INGEST_HTML_META_ITEMPROP, current_node(w), itemprop, strlen(itemprop), v, strlen(v));
            xmlFree(v);
        } else if (strstr(itemprop, "date") || strstr(itemprop, "author") || strstr(itemprop, "name") ||
                   strstr(itemprop, "headline")) {
            text_acc tt = {0};
            collect_text(n, &tt, 0);
            add_meta(w->page, INGEST_HTML_META_ITEMPROP, current_node(w), itemprop, strlen(itemprop), tt.buf, tt.len);
            free(tt.buf);
        }
        xmlFree(itemprop);
    }
    if (t && t->tag == INGEST_HTML_TAG_TIME) {
        char *dt = attr(n, "datetime");
        text_acc tt = {0};
        collect_text(n, &tt, 0);
        add_meta(w->page, INGEST_HTML_META_TIME, current_node(w), dt ? dt : "", dt ? strlen(dt) : 0, tt.buf, tt.len);
        free(tt.buf);
        if (dt) xmlFree(dt);
    }
    if (kind == KIND_BR) {
        acc_newline(&w->acc);
        return 0;
    }
    if (kind == KIND_BLOCK) {
        flush(w);
        record_node(w, n, t->tag);
        return 1;
    }
    /* inline */
    if (kind == KIND_A) {
        char *rel = n->properties ? attr(n, "rel") : NULL;
        if (rel) {
            if (strstr(rel, "author")) {
                text_acc tt = {0};
                collect_text(n, &tt, 0);
                add_meta(w->page, INGEST_HTML_META_AUTHOR_LINK, current_node(w), NULL, 0, tt.buf, tt.len);
                free(tt.buf);
            }
            xmlFree(rel);
        }
        if (xmlHasProp(n, (const xmlChar *)"href")) w->link_depth++;
    }
    return 1;
}

static void leave(walker *w, xmlNode *n) {
    if (n->type != XML_ELEMENT_NODE || !n->name) return;
    if (w->depth > 0 && w->stack[w->depth - 1].element == n) {
        flush(w);
        ingest_html_page *p = w->page;
        int32_t idx = w->stack[w->depth - 1].node;
        p->nodes[idx].subtree_end = (int32_t)p->node_count - 1;
        w->depth--;
        return;
    }
    if ((n->name[0] == 'a' || n->name[0] == 'A') && n->name[1] == 0 && w->link_depth > 0 &&
        xmlHasProp(n, (const xmlChar *)"href"))
        w->link_depth--;
}

static void walk(walker *w, xmlDoc *doc) {
    xmlNode *n = doc->children;
    while (n) {
        int descend = enter(w, n);
        if (descend && n->children) { n = n->children; continue; }
        if (descend) leave(w, n);
        while (n && !n->next) {
            n = n->parent;
            if (!n || n == (xmlNode *)doc) { n = NULL; break; }
            leave(w, n);
        }
        if (n) n = n->next;
    }
    flush(w);
}

static void finish(ingest_html_page *p) {
    /* Children follow their parents in preorder: one backward pass sums subtrees. */
    for (size_t i = p->node_count; i-- > 0;) {
        ingest_html_node *n = &p->nodes[i];
        if (n->parent >= 0) {
            ingest_html_node *par = &p->nodes[n->parent];
            par->text_chars += n->text_chars;
            par->link_chars += n->link_chars;
            par->punct += n->punct;
            par->nodes += n->nodes + 1;
            par->paragraphs += n->paragraphs;
        }
    }
}

static pthread_once_t tables_once = PTHREAD_ONCE_INIT;
static void build_tables(void) {
    build_buckets();
    build_hint_buckets();
}

static void silent_generic(void *ctx, const char *msg, ...) { (void)ctx; (void)msg; }
static void silent_structured(void *ctx, xmlErrorPtr error) { (void)ctx; (void)error; }

ingest_html_page *ingest_html_page_parse(const char *bytes, size_t length, const char *encoding) {
    /* Broken pages are the norm: recover quietly instead of writing to stderr (the
     * handlers are per thread in libxml2, so set them on every call). */
    xmlSetGenericErrorFunc(NULL, silent_generic);
    xmlSetStructuredErrorFunc(NULL, silent_structured);
    ingest_html_page *p = calloc(1, sizeof(*p));
    if (!p) return NULL;
    pthread_once(&tables_once, build_tables);
    if (!bytes || length == 0 || length > (size_t)1 << 30) return p;
    int options = HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING;
    /* A caller that names the charset has already decided it (e.g. converted to UTF-8):
     * the page's own <meta charset> must not switch the decoder midway. */
    if (encoding) options |= HTML_PARSE_IGNORE_ENC;
    if (length > 10000000) options |= XML_PARSE_HUGE;
    htmlDocPtr doc = htmlReadMemory(bytes, (int)length, NULL, encoding, options);
    if (!doc) return p;
    if (doc->encoding) p->encoding = strdup((const char *)doc->encoding);
    xmlNode *root = xmlDocGetRootElement(doc);
    if (root) {
        char *lang = attr(root, "lang");
        if (lang) { add_meta(p, INGEST_HTML_META_LANG, -1, NULL, 0, lang, strlen(lang)); xmlFree(lang); }
    }
    walker w = {0};
    w.page = p;
    w.acc.all_in_link = 1;
    walk(&w, doc);
    finish(p);
    free(w.acc.buf);
    free(w.stack);
    xmlFreeDoc(doc);
    return p;
}

void ingest_html_page_free(ingest_html_page *page) {
    if (!page) return;
    free(page->nodes); free(page->blocks); free(page->metas); free(page->pool); free(page->encoding);
    free(page);
}

const ingest_html_node *ingest_html_page_nodes(const ingest_html_page *p, size_t *count) {
    *count = p ? p->node_count : 0; return p ? p->nodes : NULL;
}
const ingest_html_block *ingest_html_page_blocks(const ingest_html_page *p, size_t *count) {
    *count = p ? p->block_count : 0; return p ? p->blocks : NULL;
}
const ingest_html_meta *ingest_html_page_metas(const ingest_html_page *p, size_t *count) {
    *count = p ? p->meta_count : 0; return p ? p->metas : NULL;
}
const char *ingest_html_page_pool(const ingest_html_page *p, size_t *length) {
    *length = p ? p->pool_len : 0; return p ? p->pool : NULL;
}
const char *ingest_html_page_encoding(const ingest_html_page *p) { return p ? p->encoding : NULL; }

int ingest_html_parse_floor(const char *bytes, size_t length, const char *encoding) {
    xmlSetGenericErrorFunc(NULL, silent_generic);
    xmlSetStructuredErrorFunc(NULL, silent_structured);
    if (!bytes || length == 0 || length > (size_t)1 << 30) return 0;
    int options = HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING;
    if (encoding) options |= HTML_PARSE_IGNORE_ENC;
    if (length > 10000000) options |= XML_PARSE_HUGE;
    htmlDocPtr doc = htmlReadMemory(bytes, (int)length, NULL, encoding, options);
    if (!doc) return 0;
    xmlFreeDoc(doc);
    return 1;
}
