#define _GNU_SOURCE
#include "ingest_feed.h"
#include "ingest_encoding.h"
#include "ingest_repair.h"
#include "ingest_text.h"
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/uri.h>
#include <libxml/xmlreader.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FIELDS 96
#define MAX_STACK 512

/* What an open element is, as far as the feed structure goes. */
enum { K_OTHER = 0, K_ROOT, K_CHANNEL, K_ITEM, K_AUTHOR, K_CONTRIBUTOR, K_SOURCE, K_MEDIA_GROUP, K_IGNORE };

/* How a captured field's text becomes plain text. */
enum { M_RAW = 0, M_URL, M_HTML, M_TEXT, M_AUTO, M_CONTENT };

typedef struct {
    int32_t code, ns, truncated, nattrs, unverified;
    size_t text_off, text_len;
    size_t attr_name_off[INGEST_MAX_ATTRS], attr_value_off[INGEST_MAX_ATTRS];
} field_slot;

typedef struct {
    field_slot slots[MAX_FIELDS];
    int count;
    /* Raw captured text and attributes; finished field text goes to `out`, rendered
     * there directly so that it is never copied back. */
    text_buf arena;
    text_buf out;
} record;

typedef struct {
    int depth;
    char *value;
} scoped_string;

typedef struct {
    xmlParserCtxtPtr ctxt;
    const ingest_feed_limits *limits;
    ingest_item_callback callback;
    void *context;
    ingest_feed_result *result;
    text_buf messages;
    int message_count;

    int depth;
    unsigned char kind[MAX_STACK];
    int root_seen;
    int item_depth;          /* 0 when not inside an item */
    int channel_depth;
    char *channel_lang;
    char *item_lang;

    int capturing;           /* depth of the captured element, 0 when none */
    int cap_code, cap_ns, cap_mode, cap_children;
    size_t cap_start;
    int cap_truncated;
    record *cap_record;
    int cap_slot;

    record item, channel;

    scoped_string bases[MAX_STACK];
    int nbases;
    const char *document_base;
    scoped_string langs[MAX_STACK];
    int nlangs;
    int saw_rss090;
    /* Namespace of a <feed> or <rss> root that is none we know: a pre-1.0 Atom draft
     * (necho, echo, pie, ...) read as Atom 0.3, or one of the namespaces RSS 2.0 was
     * briefly given (blogs.law.harvard.edu/tech/rss) read as plain RSS. */
    char *root_alias;
    int root_alias_ns;
    /* Microsoft's Channel Definition Format (<CHANNEL HREF=..><ITEM HREF=.. LASTMOD=..>):
     * element names in any case, link and date in attributes. */
    int cdf;
    /* First, optimistic pass over the bytes as they are: the first error stops it and
     * the document is read again after the repair pass. */
    int optimistic, bail;
    /* CDATA sections the optimistic pass took out of libxml2's hands (see lift_cdata). */
    const struct cdata_lift *lift;

    /* Element names are interned in libxml2's dictionary, so (name, namespace) pointers
     * identify an element kind for the whole parse: classify each kind once. */
    struct {
        const xmlChar *name, *uri, *prefix;
        int ns, code, mode, item_like;
    } cache[512];
} feed_state;

/* ---------------------------------------------------------------- namespaces */

static int ns_id_exact(const char *u);

/* Namespace URIs as written in the wild: feeds declare them with stray spaces
   (xmlns:itunes=" http://...") or without the trailing slash of a module URI
   (".../modules/content"). The exact spellings are tried first, so only an unknown
   URI pays for the second look. */
static int ns_id_lenient(const char *u) {
    char buf[512];
    while (*u == ' ' || *u == '\t' || *u == '\n' || *u == '\r') u++;
    size_t n = strlen(u);
    while (n > 0 && (u[n - 1] == ' ' || u[n - 1] == '\t' || u[n - 1] == '\n' || u[n - 1] == '\r')) n--;
    if (n == 0 || n + 2 > sizeof buf) return INGEST_NS_OTHER;
    memcpy(buf, u, n);
    buf[n] = 0;
    int r = ns_id_exact(buf);
    if (r != INGEST_NS_OTHER) return r;
    if (buf[n - 1] == '/') {
        buf[n - 1] = 0;
    } else {
        buf[n] = '/';
        buf[n + 1] = 0;
    }
    return ns_id_exact(buf);
}

static int ns_id(const xmlChar *uri, const xmlChar *prefix) {
    const char *u = (const char *)uri;
    if (u) {
        int r = ns_id_exact(u);
        return r != INGEST_NS_OTHER ? r : ns_id_lenient(u);
    }
    {
        const char *p = (const char *)prefix;
        if (!p) return INGEST_NS_NONE;
        if (!strcmp(p, "dc")) return INGEST_NS_DC;
        if (!strcmp(p, "dcterms")) return INGEST_NS_DCTERMS;
        if (!strcmp(p, "content")) return INGEST_NS_CONTENT;
        if (!strcmp(p, "media")) return INGEST_NS_MEDIA;
        if (!strcmp(p, "itunes")) return INGEST_NS_ITUNES;
        if (!strcmp(p, "slash")) return INGEST_NS_SLASH;
        if (!strcmp(p, "sy")) return INGEST_NS_SY;
        if (!strcmp(p, "atom")) return INGEST_NS_ATOM10;
        if (!strcmp(p, "wfw")) return INGEST_NS_WFW;
        if (!strcmp(p, "rdf")) return INGEST_NS_RDF;
        return INGEST_NS_OTHER;
    }
}

static int ns_id_exact(const char *u) {
    if (!strcmp(u, "http://www.w3.org/2005/Atom")) return INGEST_NS_ATOM10;
    if (!strcmp(u, "http://purl.org/atom/ns#")) return INGEST_NS_ATOM03;
    if (!strcmp(u, "http://purl.org/rss/1.0/")) return INGEST_NS_RSS1;
    if (!strcmp(u, "http://my.netscape.com/rdf/simple/0.9/")) return INGEST_NS_RSS090;
    if (!strcmp(u, "http://www.w3.org/1999/02/22-rdf-syntax-ns#")) return INGEST_NS_RDF;
    if (!strcmp(u, "http://purl.org/dc/elements/1.1/") || !strcmp(u, "http://purl.org/dc/elements/1.0/")) return INGEST_NS_DC;
    if (!strcmp(u, "http://purl.org/dc/terms/")) return INGEST_NS_DCTERMS;
    if (!strcmp(u, "http://purl.org/rss/1.0/modules/content/")) return INGEST_NS_CONTENT;
    if (!strncmp(u, "http://search.yahoo.com/mrss", 28) || !strcmp(u, "http://tools.search.yahoo.com/mrss/")) return INGEST_NS_MEDIA;
    /* Apple's early documentation spelled it ".../DTDs/Podcast-1.0.dtd"; feeds copied it. */
    if (!strcasecmp(u, "http://www.itunes.com/dtds/podcast-1.0.dtd")) return INGEST_NS_ITUNES;
    if (!strcmp(u, "http://purl.org/rss/1.0/modules/slash/")) return INGEST_NS_SLASH;
    if (!strcmp(u, "http://purl.org/rss/1.0/modules/syndication/")) return INGEST_NS_SY;
    if (!strcmp(u, "http://www.w3.org/1999/xhtml")) return INGEST_NS_XHTML;
    if (!strcmp(u, "http://wellformedweb.org/CommentAPI/")) return INGEST_NS_WFW;
    if (!strncmp(u, "http://backend.userland.com/rss", 31)) return INGEST_NS_RSS_NETSCAPE;
    return INGEST_NS_OTHER;
}

static int is_atom(int ns) { return ns == INGEST_NS_ATOM10 || ns == INGEST_NS_ATOM03; }
static int is_rss_core(int ns) {
    return ns == INGEST_NS_NONE || ns == INGEST_NS_RSS1 || ns == INGEST_NS_RSS090 || ns == INGEST_NS_RSS_NETSCAPE;
}

/* Field code and text mode for a child of an item or channel. */
static int classify(int ns, const char *n, int channel_level, int *mode) {
    *mode = M_RAW;
    if (is_rss_core(ns) || is_atom(ns)) {
        if (!strcmp(n, "title")) { *mode = is_atom(ns) ? M_CONTENT : M_AUTO; return INGEST_F_TITLE; }
        if (!strcmp(n, "link")) { *mode = M_URL; return INGEST_F_LINK; }
        if (!strcmp(n, "description")) { *mode = M_HTML; return INGEST_F_DESCRIPTION; }
        if (!strcmp(n, "summary")) { *mode = M_CONTENT; return INGEST_F_SUMMARY; }
        if (!strcmp(n, "content")) { *mode = M_CONTENT; return INGEST_F_CONTENT; }
        if (!strcmp(n, "guid")) return INGEST_F_GUID;
        if (!strcmp(n, "id")) return INGEST_F_ID;
        if (!strcmp(n, "pubDate")) return INGEST_F_PUBDATE;
        if (!strcmp(n, "published")) return INGEST_F_PUBLISHED;
        if (!strcmp(n, "updated")) return INGEST_F_UPDATED;
        if (!strcmp(n, "issued")) return INGEST_F_ISSUED;
        if (!strcmp(n, "modified")) return INGEST_F_MODIFIED;
        if (!strcmp(n, "created")) return INGEST_F_CREATED;
        if (!strcmp(n, "author")) return INGEST_F_AUTHOR;
        if (!strcmp(n, "category")) return INGEST_F_CATEGORY;
        if (!strcmp(n, "source")) return INGEST_F_SOURCE;
        if (!strcmp(n, "enclosure")) return INGEST_F_ENCLOSURE;
        if (!strcmp(n, "comments")) { *mode = M_URL; return INGEST_F_COMMENTS; }
        if (!strcmp(n, "language")) return INGEST_F_LANGUAGE;
        if (!strcmp(n, "ttl")) return INGEST_F_TTL;
        if (!strcmp(n, "subtitle")) { *mode = M_CONTENT; return INGEST_F_SUBTITLE; }
        if (!strcmp(n, "tagline")) { *mode = M_CONTENT; return INGEST_F_TAGLINE; }
        if (!strcmp(n, "lastBuildDate")) return INGEST_F_LASTBUILDDATE;
        /* RSS 0.9x-era full text beside the description. */
        if (!strcmp(n, "fullitem")) { *mode = M_HTML; return INGEST_F_CONTENT_ENCODED; }
        return INGEST_F_NONE;
    }
    switch (ns) {
    case INGEST_NS_DC:
        if (!strcmp(n, "creator") || !strcmp(n, "author")) return INGEST_F_DC_CREATOR;
        if (!strcmp(n, "date")) return INGEST_F_DC_DATE;
        if (!strcmp(n, "subject")) return INGEST_F_DC_SUBJECT;
        if (!strcmp(n, "language")) return INGEST_F_DC_LANGUAGE;
        if (!strcmp(n, "title")) { *mode = M_AUTO; return INGEST_F_DC_TITLE; }
        if (!strcmp(n, "description")) { *mode = M_HTML; return INGEST_F_DC_DESCRIPTION; }
        if (!strcmp(n, "identifier")) return INGEST_F_ID;
        break;
    case INGEST_NS_DCTERMS:
        if (!strcmp(n, "modified")) return INGEST_F_DCTERMS_MODIFIED;
        if (!strcmp(n, "created")) return INGEST_F_DCTERMS_CREATED;
        if (!strcmp(n, "issued")) return INGEST_F_DCTERMS_ISSUED;
        break;
    case INGEST_NS_CONTENT:
        if (!strcmp(n, "encoded")) { *mode = M_HTML; return INGEST_F_CONTENT_ENCODED; }
        break;
    case INGEST_NS_MEDIA:
        if (!strcmp(n, "content")) return INGEST_F_MEDIA_CONTENT;
        if (!strcmp(n, "thumbnail")) return INGEST_F_MEDIA_THUMBNAIL;
        if (!strcmp(n, "description")) { *mode = M_CONTENT; return INGEST_F_MEDIA_DESCRIPTION; }
        if (!strcmp(n, "title")) { *mode = M_CONTENT; return INGEST_F_MEDIA_TITLE; }
        if (!strcmp(n, "credit")) return INGEST_F_MEDIA_CREDIT;
        if (!strcmp(n, "keywords")) return INGEST_F_MEDIA_KEYWORDS;
        if (!strcmp(n, "category")) return INGEST_F_MEDIA_CATEGORY;
        break;
    case INGEST_NS_ITUNES:
        if (!strcmp(n, "summary")) { *mode = M_HTML; return INGEST_F_ITUNES_SUMMARY; }
        if (!strcmp(n, "author")) return INGEST_F_ITUNES_AUTHOR;
        if (!strcmp(n, "image")) return INGEST_F_ITUNES_IMAGE;
        if (!strcmp(n, "subtitle")) { *mode = M_AUTO; return INGEST_F_ITUNES_SUBTITLE; }
        if (!strcmp(n, "category")) return INGEST_F_ITUNES_CATEGORY;
        if (!strcmp(n, "keywords")) return INGEST_F_ITUNES_KEYWORDS;
        break;
    case INGEST_NS_SLASH:
        if (!strcmp(n, "comments")) return INGEST_F_SLASH_COMMENTS;
        break;
    case INGEST_NS_SY:
        if (!strcmp(n, "updatePeriod")) return INGEST_F_SY_PERIOD;
        if (!strcmp(n, "updateFrequency")) return INGEST_F_SY_FREQUENCY;
        break;
    case INGEST_NS_XHTML:
        /* The full text as an XHTML <body> right inside the item (early RSS 2.0 practice). */
        if (!strcmp(n, "body")) { *mode = M_HTML; return INGEST_F_CONTENT_ENCODED; }
        break;
    case INGEST_NS_WFW:
        if (!strcmp(n, "commentRss") || !strcmp(n, "commentRSS")) { *mode = M_URL; return INGEST_F_WFW_COMMENTRSS; }
        break;
    }
    (void)channel_level;
    return INGEST_F_NONE;
}

/* ---------------------------------------------------------------- helpers */

static void add_message(feed_state *st, const char *msg, int line) {
    if (st->message_count >= 5) return;
    char head[32];
    if (st->messages.len) tb_putc(&st->messages, '\n');
    if (line > 0) {
        snprintf(head, sizeof head, "line %d: ", line);
        tb_append(&st->messages, head, strlen(head));
    }
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' ')) n--;
    tb_append(&st->messages, msg, n);
    st->message_count++;
}

static const char *current_base(feed_state *st) {
    return st->nbases ? st->bases[st->nbases - 1].value : st->document_base;
}
static const char *current_lang(feed_state *st) { return st->nlangs ? st->langs[st->nlangs - 1].value : NULL; }

char *ingest_resolve_uri(const char *ref, const char *base) {
    if (!ref) return NULL;
    if (!base || !*base) return strdup(ref);
    /* Already absolute with a plain http(s) scheme: nothing to resolve. */
    if ((!strncmp(ref, "http://", 7) || !strncmp(ref, "https://", 8)) && !strstr(ref, "/.") && !strchr(ref, ' '))
        return strdup(ref);
    xmlChar *r = xmlBuildURI((const xmlChar *)ref, (const xmlChar *)base);
    if (!r) return strdup(ref);
    char *out = strdup((const char *)r);
    xmlFree(r);
    return out;
}

/* libxml2 without entity substitution (which stays off: entities are a hostile-input
 * risk) hands every '&' of an attribute value over as "&#38;", and only '&' that way:
 * undo it. Returns the new length; the text is shortened in place. */
static size_t attr_unescape(char *s, size_t n) {
    char *amp = memchr(s, '&', n);
    if (!amp) return n;
    size_t w = (size_t)(amp - s);
    for (size_t r = w; r < n;) {
        if (n - r >= 5 && !memcmp(s + r, "&#38;", 5)) { s[w++] = '&'; r += 5; }
        else s[w++] = s[r++];
    }
    s[w] = 0;
    return w;
}

/* An attribute value as a C string, its '&' restored. */
static char *dup_range(const xmlChar *b, const xmlChar *e) {
    size_t n = (size_t)(e - b);
    char *s = malloc(n + 1);
    if (!s) return NULL;
    memcpy(s, b, n);
    s[n] = 0;
    attr_unescape(s, n);
    return s;
}

static void trim_range(const char **s, size_t *n) {
    while (*n && ((unsigned char)**s <= ' ')) { (*s)++; (*n)--; }
    while (*n && ((unsigned char)(*s)[*n - 1] <= ' ')) (*n)--;
}

/* Writes a string into the record arena and returns its offset (NUL-terminated). */
static size_t arena_put(record *r, const char *s, size_t n) {
    size_t off = r->arena.len;
    tb_append(&r->arena, s, n);
    tb_putc(&r->arena, 0);
    return off;
}

static void deliver(feed_state *st, record *r, int is_channel, const char *lang) {
    ingest_field fields[MAX_FIELDS];
    if (r->arena.oom || r->out.oom) return;
    for (int i = 0; i < r->count; i++) {
        field_slot *s = &r->slots[i];
        ingest_field *f = &fields[i];
        f->code = s->code;
        f->ns = s->ns;
        f->text = r->out.data ? r->out.data + s->text_off : "";
        f->text_len = s->text_len;
        f->truncated = s->truncated;
        f->unverified = s->unverified;
        f->nattrs = s->nattrs;
        for (int k = 0; k < s->nattrs; k++) {
            f->attr_names[k] = r->arena.data + s->attr_name_off[k];
            f->attr_values[k] = r->arena.data + s->attr_value_off[k];
        }
    }
    st->callback(st->context, is_channel, fields, r->count, lang);
}

static void reset_record(record *r) {
    r->count = 0;
    r->arena.len = 0;
    r->out.len = 0;
}

/* ---------------------------------------------------------------- SAX */

static void finish_capture(feed_state *st);
static void finish_item(feed_state *st);

/* A field whose text is an attribute's value (CDF's HREF and LASTMOD, RSS 1.0's rdf:about). */
static void add_attr_field(feed_state *st, record *r, int code, int ns, const xmlChar *b, const xmlChar *e, int is_url) {
    if (r->count >= MAX_FIELDS) return;
    field_slot *s = &r->slots[r->count++];
    memset(s, 0, sizeof *s);
    s->code = code;
    s->ns = ns;
    char *raw = dup_range(b, e);
    char *abs = is_url ? ingest_resolve_uri(raw, current_base(st)) : NULL;
    const char *v = abs ? abs : raw ? raw : "";
    s->text_len = strlen(v);
    s->text_off = r->out.len;
    tb_append(&r->out, v, s->text_len);
    tb_putc(&r->out, 0);
    free(raw);
    free(abs);
}

static void cdf_attributes(feed_state *st, record *r, int nb_attributes, const xmlChar **attributes) {
    for (int i = 0; i < nb_attributes; i++) {
        const xmlChar **a = attributes + i * 5;
        if (a[1]) continue;
        if (!strcasecmp((const char *)a[0], "href")) add_attr_field(st, r, INGEST_F_LINK, INGEST_NS_NONE, a[3], a[4], 1);
        else if (!strcasecmp((const char *)a[0], "lastmod")) add_attr_field(st, r, INGEST_F_UPDATED, INGEST_NS_NONE, a[3], a[4], 0);
    }
}

static void start_item(feed_state *st, int d, int nb_attributes, const xmlChar **attributes) {
    st->result->items_seen++;
    st->kind[d] = K_ITEM;
    st->item_depth = d;
    reset_record(&st->item);
    free(st->item_lang);
    st->item_lang = current_lang(st) ? strdup(current_lang(st)) : NULL;
    for (int i = 0; i < nb_attributes; i++) {
        const xmlChar **a = attributes + i * 5;
        /* rdf:about names the item; a bare `about` only when it is a full http(s) URL. */
        int rdf_ns = a[2] && !strcmp((const char *)a[2], "http://www.w3.org/1999/02/22-rdf-syntax-ns#");
        if (!strcmp((const char *)a[0], "about") && !rdf_ns &&
            !((a[4] - a[3] > 7 && !memcmp(a[3], "http://", 7)) || (a[4] - a[3] > 8 && !memcmp(a[3], "https://", 8))))
            continue;
        if (!strcmp((const char *)a[0], "about") && st->item.count < MAX_FIELDS) {
            field_slot *s = &st->item.slots[st->item.count++];
            memset(s, 0, sizeof *s);
            s->code = INGEST_F_RDF_ABOUT;
            s->ns = INGEST_NS_RDF;
            char *raw = dup_range(a[3], a[4]);
            char *abs = ingest_resolve_uri(raw, current_base(st));
            const char *v = abs ? abs : "";
            s->text_len = strlen(v);
            s->text_off = st->item.out.len;
            tb_append(&st->item.out, v, s->text_len);
            tb_putc(&st->item.out, 0);
            free(raw);
            free(abs);
        }
    }
    if (st->cdf) cdf_attributes(st, &st->item, nb_attributes, attributes);
}

static void start_channel(feed_state *st, int d) {
    st->kind[d] = K_CHANNEL;
    st->channel_depth = d;
    free(st->channel_lang);
    st->channel_lang = current_lang(st) ? strdup(current_lang(st)) : NULL;
}

typedef struct { int ns, code, mode, item_like; } element_kind;

static element_kind kind_of(feed_state *st, const xmlChar *localname, const xmlChar *prefix, const xmlChar *URI) {
    size_t h = (((size_t)localname >> 3) ^ ((size_t)URI >> 5) ^ ((size_t)prefix >> 7)) & 511;
    if (st->cache[h].name == localname && st->cache[h].uri == URI && st->cache[h].prefix == prefix) {
        element_kind k = {st->cache[h].ns, st->cache[h].code, st->cache[h].mode, st->cache[h].item_like};
        return k;
    }
    const char *name = (const char *)localname;
    char folded[32];
    if (st->cdf && !URI) {
        size_t i = 0;
        for (; name[i] && i < sizeof folded - 1; i++) folded[i] = (char)((name[i] >= 'A' && name[i] <= 'Z') ? name[i] | 0x20 : name[i]);
        folded[i] = 0;
        name = folded;
    }
    element_kind k;
    k.ns = ns_id(URI, prefix);
    if (k.ns == INGEST_NS_OTHER && st->root_alias && URI && !strcmp((const char *)URI, st->root_alias)) k.ns = st->root_alias_ns;
    k.code = classify(k.ns, name, 0, &k.mode);
    if (k.code == INGEST_F_NONE && k.ns == INGEST_NS_NONE && name != folded) {
        /* <Title>, <PUBDATE>: RSS written by hand or by case-insensitive tools. */
        size_t i = 0;
        for (; name[i] && i < sizeof folded - 1; i++) folded[i] = (char)((name[i] >= 'A' && name[i] <= 'Z') ? name[i] | 0x20 : name[i]);
        folded[i] = 0;
        const char *canonical = !strcmp(folded, "pubdate") ? "pubDate" : !strcmp(folded, "lastbuilddate") ? "lastBuildDate" : folded;
        if (strcmp(canonical, name)) {
            k.code = classify(k.ns, canonical, 0, &k.mode);
            if (!strcmp(folded, "item")) name = folded;
        }
    }
    if (st->cdf && k.ns == INGEST_NS_NONE && !strcmp(name, "abstract")) { k.code = INGEST_F_DESCRIPTION; k.mode = M_HTML; }
    k.item_like = (!strcmp(name, "item") && (is_rss_core(k.ns) || k.ns == INGEST_NS_OTHER)) ||
                  (!strcmp(name, "entry") && (is_atom(k.ns) || k.ns == INGEST_NS_NONE));
    st->cache[h].name = localname;
    st->cache[h].uri = URI;
    st->cache[h].prefix = prefix;
    st->cache[h].ns = k.ns;
    st->cache[h].code = k.code;
    st->cache[h].mode = k.mode;
    st->cache[h].item_like = k.item_like;
    return k;
}

static void on_start(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *URI,
                     int nb_namespaces, const xmlChar **namespaces, int nb_attributes, int nb_defaulted,
                     const xmlChar **attributes) {
    (void)nb_namespaces; (void)namespaces; (void)nb_defaulted;
    feed_state *st = ctx;
    st->depth++;
    int d = st->depth;
    if (d >= MAX_STACK || d > st->limits->max_depth) {
        st->result->depth_capped = 1;
        return;
    }
    const char *name = (const char *)localname;
    element_kind ek = kind_of(st, localname, prefix, URI);
    int ns = ek.ns;
    if (ns == INGEST_NS_RSS090) st->saw_rss090 = 1;
    st->kind[d] = K_OTHER;

    /* xml:base and xml:lang scope over this element and its descendants. */
    for (int i = 0; i < nb_attributes; i++) {
        const xmlChar **a = attributes + i * 5;
        if (!a[1] || strcmp((const char *)a[1], "xml")) continue;
        if (!strcmp((const char *)a[0], "base") && st->nbases < MAX_STACK) {
            char *raw = dup_range(a[3], a[4]);
            char *abs = ingest_resolve_uri(raw, current_base(st));
            free(raw);
            if (abs) st->bases[st->nbases++] = (scoped_string){d, abs};
        } else if (!strcmp((const char *)a[0], "lang") && st->nlangs < MAX_STACK) {
            char *v = dup_range(a[3], a[4]);
            if (v) st->langs[st->nlangs++] = (scoped_string){d, v};
        }
    }

    int item_like = ek.item_like;
    if (item_like && st->root_seen && st->capturing && st->cap_ns != INGEST_NS_XHTML) {
        /* A field left open (an unclosed <itunes:category> or <description>)
         * must not swallow the items after it: close what is open and start afresh. */
        if (st->capturing) finish_capture(st);
        if (st->item_depth) finish_item(st);
        start_item(st, d, nb_attributes, attributes);
        return;
    }

    if (st->capturing && st->cap_code == INGEST_F_ITUNES_CATEGORY && ek.code == INGEST_F_ITUNES_CATEGORY &&
        st->kind[st->capturing - 1] != K_OTHER) {
        /* iTunes subcategories nest inside their category: each is a category of its own. */
        finish_capture(st);
        for (int k = st->depth - 1; k > 0 && st->kind[k] == K_OTHER; k--) st->kind[k] = st->kind[k - 1];
    }
    if (st->capturing) {
        st->cap_children = 1;
        char lower[16];
        size_t k = 0;
        for (; name[k] && k < 15; k++) lower[k] = (char)((name[k] >= 'A' && name[k] <= 'Z') ? name[k] | 0x20 : name[k]);
        lower[k] = 0;
        if (ingest_is_block_tag(lower)) tb_putc(&st->cap_record->arena, INGEST_BREAK_MARK);
        else if (!strcmp(lower, "td") || !strcmp(lower, "th")) tb_putc(&st->cap_record->arena, ' ');
        return;
    }

    if (!st->root_seen) {
        st->root_seen = 1;
        st->kind[d] = K_ROOT;
        int root = INGEST_ROOT_OTHER;
        if (!strcmp(name, "rss")) {
            root = INGEST_ROOT_RSS;
            if (ns == INGEST_NS_OTHER && URI) {
                st->root_alias = strdup((const char *)URI);
                st->root_alias_ns = INGEST_NS_RSS_NETSCAPE;
                memset(st->cache, 0, sizeof st->cache);
            }
        }
        else if (!strcmp(name, "RDF")) root = INGEST_ROOT_RDF;
        else if (!strcmp(name, "feed")) {
            if (ns == INGEST_NS_OTHER && URI) {
                st->root_alias = strdup((const char *)URI);
                st->root_alias_ns = INGEST_NS_ATOM03;
                memset(st->cache, 0, sizeof st->cache);
                ns = INGEST_NS_ATOM03;
            }
            root = ns == INGEST_NS_ATOM03 ? INGEST_ROOT_ATOM03 : INGEST_ROOT_ATOM10;
        }
        else if (!strcmp(name, "channel")) root = INGEST_ROOT_CHANNEL;
        else if (!strcasecmp(name, "channel") && !URI) {
            root = INGEST_ROOT_CDF;
            st->cdf = 1;
            memset(st->cache, 0, sizeof st->cache);
        }
        else if (!strcasecmp(name, "html")) root = INGEST_ROOT_HTML;
        st->result->root = root;
        for (int i = 0; i < nb_attributes; i++) {
            const xmlChar **a = attributes + i * 5;
            if (!a[1] && !strcmp((const char *)a[0], "version")) {
                size_t n = (size_t)(a[4] - a[3]);
                if (n > 15) n = 15;
                memcpy(st->result->version, a[3], n);
                st->result->version[n] = 0;
            }
        }
        if (root == INGEST_ROOT_ATOM10 || root == INGEST_ROOT_ATOM03 || root == INGEST_ROOT_CHANNEL || root == INGEST_ROOT_CDF)
            start_channel(st, d);
        if (root == INGEST_ROOT_CDF) cdf_attributes(st, &st->channel, nb_attributes, attributes);
        if (!strcmp(name, "entry") && is_atom(ns)) {
            /* An Atom Entry Document (RFC 4287 section 4.1.2): one entry, no feed around it. */
            st->result->root = ns == INGEST_NS_ATOM03 ? INGEST_ROOT_ATOM03 : INGEST_ROOT_ATOM10;
            start_item(st, d, nb_attributes, attributes);
        }
        return;
    }

    int parent = st->kind[d - 1];
    if (parent == K_IGNORE || parent == K_OTHER) {
        st->kind[d] = (parent == K_IGNORE) ? K_IGNORE : K_OTHER;
        if (parent == K_IGNORE) return;
        /* An item misplaced deeper than usual still counts (some feeds nest them). */
        if (st->item_depth) return;
    }

    if (!st->item_depth && item_like) {
        start_item(st, d, nb_attributes, attributes);
        return;
    }
    if (!st->item_depth && !st->channel_depth) {
        /* A feed wrapped in something else (an XHTML page quoting its feed): read it. */
        if (!strcmp(name, "channel") && is_rss_core(ns)) { start_channel(st, d); return; }
        if (!strcmp(name, "feed") && is_atom(ns)) {
            start_channel(st, d);
            if (st->result->root == INGEST_ROOT_HTML || st->result->root == INGEST_ROOT_OTHER)
                st->result->root = ns == INGEST_NS_ATOM03 ? INGEST_ROOT_ATOM03 : INGEST_ROOT_ATOM10;
            return;
        }
        if (!strcmp(name, "rss") && (st->result->root == INGEST_ROOT_HTML || st->result->root == INGEST_ROOT_OTHER)) {
            st->result->root = INGEST_ROOT_RSS;
            st->kind[d] = K_ROOT;
            return;
        }
    }

    record *rec = NULL;
    int code = INGEST_F_NONE, mode = M_RAW;
    if (parent == K_ITEM || parent == K_CHANNEL) {
        if (is_atom(ns) && (!strcmp(name, "author") || !strcmp(name, "contributor"))) {
            st->kind[d] = name[0] == 'a' ? K_AUTHOR : K_CONTRIBUTOR;
            return;
        }
        if (is_atom(ns) && !strcmp(name, "source")) { st->kind[d] = K_SOURCE; return; }
        if (ns == INGEST_NS_MEDIA && !strcmp(name, "group")) { st->kind[d] = K_MEDIA_GROUP; return; }
        if (parent == K_CHANNEL && (!strcmp(name, "image") || !strcmp(name, "textinput") || !strcmp(name, "textInput") ||
                                    !strcmp(name, "items") || !strcmp(name, "owner"))) {
            st->kind[d] = K_IGNORE;
            return;
        }
        code = ek.code;
        mode = ek.mode;
        rec = parent == K_ITEM ? &st->item : &st->channel;
    } else if (parent == K_AUTHOR || parent == K_CONTRIBUTOR) {
        if (!strcmp(name, "name")) code = parent == K_AUTHOR ? INGEST_F_AUTHOR_NAME : INGEST_F_CONTRIBUTOR_NAME;
        else if (!strcmp(name, "email") && parent == K_AUTHOR) code = INGEST_F_AUTHOR_EMAIL;
        else if ((!strcmp(name, "uri") || !strcmp(name, "url")) && parent == K_AUTHOR) { code = INGEST_F_AUTHOR_URI; mode = M_URL; }
        rec = st->item_depth ? &st->item : &st->channel;
    } else if (parent == K_SOURCE) {
        if (!strcmp(name, "title")) { code = INGEST_F_SOURCE_TITLE; mode = M_CONTENT; }
        rec = st->item_depth ? &st->item : &st->channel;
    } else if (parent == K_MEDIA_GROUP) {
        code = ns == INGEST_NS_MEDIA ? ek.code : INGEST_F_NONE;
        mode = ek.mode;
        rec = st->item_depth ? &st->item : &st->channel;
    }
    if (code == INGEST_F_NONE || !rec || rec->count >= MAX_FIELDS) return;

    field_slot *s = &rec->slots[rec->count];
    memset(s, 0, sizeof *s);
    s->code = code;
    s->ns = ns;
    const char *base = current_base(st);
    for (int i = 0; i < nb_attributes && s->nattrs < INGEST_MAX_ATTRS; i++) {
        const xmlChar **a = attributes + i * 5;
        if (a[1] && !strcmp((const char *)a[1], "xml")) continue;
        const char *an = (const char *)a[0];
        s->attr_name_off[s->nattrs] = arena_put(rec, an, strlen(an));
        size_t vn = (size_t)(a[4] - a[3]);
        if (!strcmp(an, "href") || !strcmp(an, "url") || !strcmp(an, "src")) {
            char *raw = dup_range(a[3], a[4]);
            char *abs = raw ? ingest_resolve_uri(raw, base) : NULL;
            const char *v = abs ? abs : "";
            s->attr_value_off[s->nattrs] = arena_put(rec, v, strlen(v));
            free(raw);
            free(abs);
        } else {
            size_t off = arena_put(rec, (const char *)a[3], vn);
            if (!rec->arena.oom) attr_unescape(rec->arena.data + off, vn);
            s->attr_value_off[s->nattrs] = off;
        }
        s->nattrs++;
    }
    st->capturing = d;
    st->cap_code = code;
    st->cap_ns = ns;
    st->cap_mode = mode;
    st->cap_children = 0;
    st->cap_truncated = 0;
    st->cap_record = rec;
    st->cap_slot = rec->count;
    st->cap_start = rec->arena.len;
}

static void on_chars(void *ctx, const xmlChar *ch, int len) {
    feed_state *st = ctx;
    if (!st->capturing || st->depth > st->limits->max_depth) return;
    record *r = st->cap_record;
    size_t have = r->arena.len - st->cap_start;
    size_t n = (size_t)len;
    if (have + n > st->limits->max_field_bytes) {
        n = have < st->limits->max_field_bytes ? st->limits->max_field_bytes - have : 0;
        st->cap_truncated = 1;
    }
    tb_append(&r->arena, (const char *)ch, n);
}

static const char *slot_attr(record *r, field_slot *s, const char *name) {
    for (int k = 0; k < s->nattrs; k++)
        if (!strcmp(r->arena.data + s->attr_name_off[k], name)) return r->arena.data + s->attr_value_off[k];
    return NULL;
}

static int contains_tag(const char *s, size_t n) {
    for (size_t i = 0; i + 1 < n; i++) {
        if (s[i] != '<') continue;
        unsigned char c = (unsigned char)s[i + 1];
        if (((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c == '/' || c == '!') {
            if (memchr(s + i, '>', n - i)) return 1;
        }
    }
    return 0;
}

/* Decodes standard or URL-safe base64, skipping white space; NULL when the text is not
 * base64 at all, so the field is then kept as it was published. */
static char *base64_decode(const char *in, size_t n, size_t *out_len) {
    char *out = malloc(n / 4 * 3 + 4);
    if (!out) return NULL;
    unsigned int acc = 0;
    int bits = 0;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)in[i];
        int v;
        if (c >= 'A' && c <= 'Z') v = c - 'A';
        else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
        else if (c >= '0' && c <= '9') v = c - '0' + 52;
        else if (c == '+' || c == '-') v = 62;
        else if (c == '/' || c == '_') v = 63;
        else if (c == '=') break;
        else if (c <= ' ') continue;
        else { free(out); return NULL; }
        acc = (acc << 6) | (unsigned int)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (char)((acc >> bits) & 0xFF);
        }
    }
    out[o] = 0;
    *out_len = o;
    return out;
}

static int cdata_chars_ok(const unsigned char *s, size_t n, int *cr);

static void finish_capture(feed_state *st) {
    record *r = st->cap_record;
    field_slot *s = &r->slots[st->cap_slot];
    const char *text = r->arena.data ? r->arena.data + st->cap_start : "";
    size_t len = r->arena.len - st->cap_start;
    int mode = st->cap_mode;
    char *decoded64 = NULL;
    if (mode == M_CONTENT) {
        const char *type = slot_attr(r, s, "type");
        const char *m = slot_attr(r, s, "mode");
        if (m && !strcmp(m, "base64") && !st->cap_children) {
            /* Atom 0.3 carries some content base64-encoded; its type says what is inside. */
            size_t n = 0;
            decoded64 = base64_decode(text, len, &n);
            if (decoded64) { text = decoded64; len = n; }
            mode = (type && strstr(type, "html")) ? M_HTML : M_TEXT;
        } else if (st->cap_children) mode = M_TEXT;
        else if (m && !strcmp(m, "escaped")) mode = M_HTML;
        else if (!type) mode = (st->cap_ns == INGEST_NS_MEDIA) ? M_AUTO : M_TEXT;
        else if (!strcmp(type, "html") || !strcmp(type, "text/html")) mode = M_HTML;
        else if (strstr(type, "xhtml")) mode = contains_tag(text, len) ? M_HTML : M_TEXT;
        else if (!strcmp(type, "plain")) mode = M_TEXT;
        else if (st->cap_ns == INGEST_NS_ATOM10 && !st->cap_children && !strchr(type, '+') && !strstr(type, "xml") &&
                 strncmp(type, "text/", 5) && strchr(type, '/')) {
            /* RFC 4287 4.1.3.3: any other media type is carried base64-encoded. Decoded
             * text is read as markup if it has any; binary content stays as published. */
            size_t n = 0;
            int cr = 0;
            decoded64 = base64_decode(text, len, &n);
            if (decoded64 && n && cdata_chars_ok((const unsigned char *)decoded64, n, &cr)) {
                text = decoded64;
                len = n;
                mode = contains_tag(text, len) ? M_HTML : M_TEXT;
            } else {
                free(decoded64);
                decoded64 = NULL;
                mode = M_TEXT;
            }
        } else mode = M_TEXT;
        if (st->cap_ns == INGEST_NS_MEDIA && type && !strcmp(type, "html")) mode = M_HTML;
    } else if (mode == M_AUTO) {
        mode = (!st->cap_children && contains_tag(text, len)) ? M_HTML : M_TEXT;
    } else if (mode == M_HTML && st->cap_children) {
        /* Raw markup inside the element (unescaped HTML): its text is already decoded. */
        mode = M_TEXT;
    }
    text_buf *out = &r->out;
    size_t off = out->len;
    if (mode == M_HTML) ingest_render_text(text, len, INGEST_TEXT_HTML, out);
    else if (mode == M_TEXT) ingest_render_text(text, len, st->cap_children ? INGEST_TEXT_LINE : INGEST_TEXT_PLAIN, out);
    else {
        trim_range(&text, &len);
        if (mode == M_URL && len) {
            char *raw = malloc(len + 1);
            if (raw) {
                memcpy(raw, text, len);
                raw[len] = 0;
                char *abs = ingest_resolve_uri(raw, current_base(st));
                if (abs) tb_append(out, abs, strlen(abs));
                free(abs);
                free(raw);
            }
        } else {
            ingest_render_text(text, len, INGEST_TEXT_LINE, out);
        }
    }
    int from_base64 = decoded64 != NULL;
    free(decoded64);
    s->text_off = off;
    s->text_len = out->len - off;
    tb_putc(out, 0);
    r->arena.len = st->cap_start;
    s->truncated = st->cap_truncated;
    s->unverified = st->cap_truncated || from_base64;
    r->count++;
    st->capturing = 0;
}

static void pop_scopes(feed_state *st, int d) {
    while (st->nbases && st->bases[st->nbases - 1].depth >= d) free(st->bases[--st->nbases].value);
    while (st->nlangs && st->langs[st->nlangs - 1].depth >= d) free(st->langs[--st->nlangs].value);
}

static void finish_item(feed_state *st) {
    if (st->result->items_seen - st->result->items_dropped > st->limits->max_items) {
        st->result->items_dropped++;
        st->result->items_capped = 1;
    } else {
        deliver(st, &st->item, 0, st->item_lang);
    }
    st->item_depth = 0;
}

static void on_end(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *URI) {
    (void)localname; (void)prefix; (void)URI;
    feed_state *st = ctx;
    int d = st->depth;
    if (st->capturing) {
        if (d == st->capturing) finish_capture(st);
        else if (d > st->capturing && d <= st->limits->max_depth) {
            char lower[16];
            const char *name = (const char *)localname;
            size_t k = 0;
            for (; name[k] && k < 15; k++) lower[k] = (char)((name[k] >= 'A' && name[k] <= 'Z') ? name[k] | 0x20 : name[k]);
            lower[k] = 0;
            if (ingest_is_block_tag(lower)) tb_putc(&st->cap_record->arena, INGEST_BREAK_MARK);
        }
    }
    if (st->item_depth && d == st->item_depth) finish_item(st);
    pop_scopes(st, d);
    st->depth--;
}

static void on_error(void *ctx, xmlErrorPtr err) {
    feed_state *st = ctx;
    if (!err || err->level == XML_ERR_WARNING) return;
    if (st->optimistic) {
        st->bail = 1;
        if (st->ctxt) xmlStopParser(st->ctxt);
        return;
    }
    st->result->error_count++;
    add_message(st, err->message ? err->message : "parse error", err->line);
    if (st->result->error_count >= st->limits->max_errors && st->ctxt) {
        st->result->stopped_early = 1;
        xmlStopParser(st->ctxt);
    }
}

/* libxml2's global set-up is not safe to race; parses run on many threads at once. */
static pthread_once_t libxml_once = PTHREAD_ONCE_INIT;
static void libxml_init(void) { xmlInitParser(); }
void ingest_xml_init(void) { pthread_once(&libxml_once, libxml_init); }

static feed_state *new_state(const char *base_url, const ingest_feed_limits *limits, ingest_item_callback callback,
                             void *context, ingest_feed_result *result) {
    feed_state *st = calloc(1, sizeof *st);
    if (!st) return NULL;
    st->limits = limits;
    st->callback = callback;
    st->context = context;
    st->result = result;
    st->document_base = base_url;
    return st;
}

static void free_state(feed_state *st) {
    pop_scopes(st, 0);
    free(st->messages.data);
    free(st->item.arena.data);
    free(st->channel.arena.data);
    free(st->item.out.data);
    free(st->channel.out.data);
    free(st->channel_lang);
    free(st->item_lang);
    free(st->root_alias);
    free(st);
}


/* ---------------------------------------------------------------- CDATA lift */

/* libxml2 2.9 reads a CDATA section one character at a time through xmlCurrentChar,
 * several times slower than anything else it parses, and feeds carry most of their HTML
 * in CDATA. For the optimistic pass each CDATA section is cut out and replaced by a
 * processing instruction `<?_ingest_cdata N?>`; the handler appends section N's bytes,
 * taken straight from the document, to the field being captured, exactly as the
 * cdataBlock callback would have. The result is the same as long as the cut finds the
 * same sections libxml2 would and libxml2 would have found nothing wrong inside them:
 *  - the scan understands comments, PIs, CDATA, start/end tags; anything else it cannot
 *    read for sure (a DOCTYPE, markup left open, a CDATA section outside the root
 *    element, a PI with our target) makes it decline, and the document is read as it is;
 *  - up to libxml2's first error the document is well-formed, where the scan is exact
 *    ('>' inside an attribute value can only make it count an element as empty, which
 *    errs towards declining); the optimistic pass stops at that first error anyway;
 *  - each section's content is checked for what libxml2 would reject (invalid UTF-8,
 *    characters outside XML's Char production) and the whole lift declined if any;
 *  - line ends inside a section are normalised as libxml2 does (CR LF and CR to LF). */

#define CDATA_PI_TARGET "_ingest_cdata"

typedef struct {
    size_t off, len;
    int has_cr;
} cdata_span;

typedef struct cdata_lift {
    const char *src;
    cdata_span *spans;
    size_t count, cap;
} cdata_lift;

#define LIFT_ONES 0x0101010101010101ULL
#define LIFT_HIGHS 0x8080808080808080ULL

/* 1 when the bytes are valid UTF-8 made of XML Chars only; *cr when a CR occurs. */
static int cdata_chars_ok(const unsigned char *s, size_t n, int *cr) {
    size_t i = 0;
    *cr = 0;
    while (i < n) {
        /* Printable ASCII, eight bytes at a time: no high bit, no byte below 0x20. */
        while (i + 8 <= n) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if ((w | ((w - LIFT_ONES * 0x20) & ~w)) & LIFT_HIGHS) break;
            i += 8;
        }
        if (i >= n) break;
        unsigned c = s[i];
        if (c < 0x80) {
            if (c < 0x20) {
                if (c == 0x0D) *cr = 1;
                else if (c != 0x09 && c != 0x0A) return 0;
            }
            i++;
            continue;
        }
        if (c >= 0xE1 && c <= 0xEC) { /* most of CJK: any two continuation bytes */
            if (i + 2 >= n || (s[i + 1] & 0xC0) != 0x80 || (s[i + 2] & 0xC0) != 0x80) return 0;
            i += 3;
            continue;
        }
        size_t need;
        uint32_t cp, min;
        if ((c & 0xE0) == 0xC0) { need = 1; cp = c & 0x1F; min = 0x80; }
        else if ((c & 0xF0) == 0xE0) { need = 2; cp = c & 0x0F; min = 0x800; }
        else if ((c & 0xF8) == 0xF0) { need = 3; cp = c & 0x07; min = 0x10000; }
        else return 0;
        if (i + need >= n) return 0;
        for (size_t k = 1; k <= need; k++) {
            unsigned d = s[i + k];
            if ((d & 0xC0) != 0x80) return 0;
            cp = (cp << 6) | (d & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF) return 0;
        i += need + 1;
    }
    return 1;
}

static int lift_push(cdata_lift *l, size_t off, size_t len, int cr) {
    if (l->count == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 64;
        cdata_span *n = realloc(l->spans, ncap * sizeof *n);
        if (!n) return 0;
        l->spans = n;
        l->cap = ncap;
    }
    l->spans[l->count++] = (cdata_span){off, len, cr};
    return 1;
}

/* 1: `out` holds the document with its CDATA sections lifted into `l`; 0: the document
 * has no CDATA section, or the scan declines; read the bytes as they are. */
static int lift_cdata(const char *s, size_t n, text_buf *out, cdata_lift *l) {
    size_t i = 0, copied = 0;
    long depth = 0;
    l->src = s;
    l->count = 0;
    out->len = 0;
    for (;;) {
        const char *lt = memchr(s + i, '<', n - i);
        if (!lt) break;
        i = (size_t)(lt - s);
        if (n - i < 2) return 0;
        char c = s[i + 1];
        if (c == '!') {
            if (n - i >= 4 && s[i + 2] == '-' && s[i + 3] == '-') {
                const char *e = memmem(s + i + 4, n - i - 4, "-->", 3);
                if (!e) return 0;
                i = (size_t)(e - s) + 3;
                continue;
            }
            if (n - i >= 9 && !memcmp(s + i, "<![CDATA[", 9)) {
                size_t from = i + 9;
                const char *e = memmem(s + from, n - from, "]]>", 3);
                if (!e || depth <= 0) return 0;
                size_t len = (size_t)(e - (s + from));
                int cr = 0;
                if (!cdata_chars_ok((const unsigned char *)s + from, len, &cr)) return 0;
                if (!lift_push(l, from, len, cr)) return 0;
                char pi[48];
                int pn = snprintf(pi, sizeof pi, "<?" CDATA_PI_TARGET " %zu?>", l->count - 1);
                tb_append(out, s + copied, i - copied);
                tb_append(out, pi, (size_t)pn);
                i = copied = (size_t)(e - s) + 3;
                continue;
            }
            return 0; /* a DOCTYPE or something malformed */
        }
        if (c == '?') {
            if (n - i - 2 >= sizeof CDATA_PI_TARGET - 1 && !memcmp(s + i + 2, CDATA_PI_TARGET, sizeof CDATA_PI_TARGET - 1))
                return 0;
            const char *e = memmem(s + i + 2, n - i - 2, "?>", 2);
            if (!e) return 0;
            i = (size_t)(e - s) + 2;
            continue;
        }
        const char *gt = memchr(s + i + 1, '>', n - i - 1);
        if (!gt) return 0;
        if (c == '/') depth--;
        else if (gt[-1] != '/') depth++;
        i = (size_t)(gt - s) + 1;
    }
    if (!l->count) return 0;
    tb_append(out, s + copied, n - copied);
    return !out->oom;
}

static void capture_bytes(feed_state *st, const char *ch, size_t len) {
    record *r = st->cap_record;
    size_t have = r->arena.len - st->cap_start;
    size_t n = len;
    if (have + n > st->limits->max_field_bytes) {
        n = have < st->limits->max_field_bytes ? st->limits->max_field_bytes - have : 0;
        st->cap_truncated = 1;
    }
    tb_append(&r->arena, ch, n);
}

static void on_pi(void *ctx, const xmlChar *target, const xmlChar *data) {
    feed_state *st = ctx;
    if (!st->lift || !target || strcmp((const char *)target, CDATA_PI_TARGET) || !data) return;
    if (!st->capturing || st->depth > st->limits->max_depth) return;
    size_t k = (size_t)strtoull((const char *)data, NULL, 10);
    if (k >= st->lift->count) return;
    const cdata_span *sp = &st->lift->spans[k];
    const char *p = st->lift->src + sp->off;
    if (!sp->has_cr) {
        capture_bytes(st, p, sp->len);
        return;
    }
    /* CR LF and a lone CR are LF to an XML reader. */
    size_t i = 0;
    while (i < sp->len) {
        const char *cr = memchr(p + i, '\r', sp->len - i);
        size_t run = cr ? (size_t)(cr - (p + i)) : sp->len - i;
        if (run) capture_bytes(st, p + i, run);
        if (!cr) break;
        capture_bytes(st, "\n", 1);
        i += run + 1;
        if (i < sp->len && p[i] == '\n') i++;
    }
}

/* A parser context over `input`; with `nul_after` (input[input_len] == 0) the bytes are
 * read in place, otherwise libxml2 takes its own NUL-terminated copy, as big as the
 * document: the largest transient of a run that meets one large feed.
 * In place, the input has no buffer behind it, the way libxml2 reads an internal
 * entity's text: it never grows or shrinks, so nothing moves under the parser, and the
 * terminator ends it. (A "static" input buffer instead shrinks under the parser: libxml2
 * 2.9 crashed on it in xmlParseElement.) */
static xmlParserCtxtPtr new_context(const char *input, size_t input_len, int nul_after) {
    if (input_len > 0x7fffffff) return NULL;
    if (!nul_after) return xmlCreateMemoryParserCtxt(input, (int)input_len);
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt) return NULL;
    xmlParserInputPtr in = xmlNewInputStream(ctxt);
    if (!in) {
        xmlFreeParserCtxt(ctxt);
        return NULL;
    }
    in->base = (const xmlChar *)input;
    in->cur = in->base;
    in->length = (int)input_len;
    in->end = in->base + input_len;
    if (inputPush(ctxt, in) < 0) {
        xmlFreeInputStream(in);
        xmlFreeParserCtxt(ctxt);
        return NULL;
    }
    return ctxt;
}

static void run_sax(feed_state *st, const char *input, size_t input_len, int nul_after) {
    if (!input_len) return;
    xmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    sax.initialized = XML_SAX2_MAGIC;
    sax.startElementNs = on_start;
    sax.endElementNs = on_end;
    sax.characters = on_chars;
    sax.cdataBlock = on_chars;
    sax.serror = on_error;
    if (st->lift) sax.processingInstruction = on_pi;
    /* No DTD loading, no entity substitution, no network; HUGE lifts libxml2's 10 MB
     * text-node limit, our caps (document size in Swift, depth, fields, entity
     * budget) bound the work instead. */
    int options = XML_PARSE_RECOVER | XML_PARSE_NONET | XML_PARSE_HUGE | XML_PARSE_IGNORE_ENC | XML_PARSE_NOWARNING;
    /* Pull parsing over the whole buffer: faster than the push parser, which rescans
     * for the end of each construct. The handler is ours for the parse only. */
    xmlParserCtxtPtr ctxt = new_context(input, input_len, nul_after);
    if (!ctxt) return;
    xmlSAXHandlerPtr original = ctxt->sax;
    ctxt->sax = &sax;
    ctxt->userData = st;
    xmlCtxtUseOptions(ctxt, options);
    st->ctxt = ctxt;
    xmlParseDocument(ctxt);
    ctxt->sax = original;
    ctxt->userData = ctxt;
    xmlFreeParserCtxt(ctxt);
    st->ctxt = NULL;
}

static void finish_document(feed_state *st) {
    /* A truncated document leaves its last item open: what was read is still an item. */
    if (st->capturing) finish_capture(st);
    if (st->item_depth) finish_item(st);
    deliver(st, &st->channel, 1, st->channel_lang);
    /* The caller reads the messages as a C string: terminate them (without counting). */
    if (st->messages.data && tb_reserve(&st->messages, 1)) st->messages.data[st->messages.len] = 0;
    else if (st->messages.data) { free(st->messages.data); st->messages.data = NULL; }
    st->result->messages = st->messages.data;
    st->messages.data = NULL;
    if (st->saw_rss090 && st->result->root == INGEST_ROOT_RDF) strcpy(st->result->version, "0.90");
}

int ingest_feed_parse(const uint8_t *utf8, size_t len, int nul_after, const char *base_url,
                      const ingest_feed_limits *limits,
                      ingest_item_callback callback, void *context, ingest_feed_result *result) {
    ingest_xml_init();
    memset(result, 0, sizeof *result);
    const char *s = (const char *)utf8;

    /* Most feeds are well-formed and carry no DOCTYPE: read them as they are. */
    size_t body = 0;
    int junk = 0;
    if (!ingest_prolog_scan(s, len, &body, &junk)) {
        feed_state *st = new_state(base_url, limits, callback, context, result);
        if (!st) return -1;
        st->optimistic = 1;
        if (junk) add_message(st, "junk before the XML prolog skipped", 0);
        text_buf lifted = {0};
        cdata_lift lift = {0};
        if (!limits->no_cdata_lift && lift_cdata(s + body, len - body, &lifted, &lift)) {
            st->lift = &lift;
            /* Our own buffer: terminated here, so libxml2 needs no copy of it either. */
            int terminated = lifted.cap > lifted.len;
            if (terminated) lifted.data[lifted.len] = 0;
            run_sax(st, lifted.data, lifted.len, terminated);
            st->lift = NULL;
        } else {
            run_sax(st, s + body, len - body, nul_after);
        }
        free(lifted.data);
        free(lift.spans);
        if (!st->bail) {
            finish_document(st);
            free_state(st);
            return 0;
        }
        /* Something needs repair: the caller drops what it was given, and we start over. */
        callback(context, -1, NULL, 0, NULL);
        free_state(st);
        memset(result, 0, sizeof *result);
    }

    feed_state *st = new_state(base_url, limits, callback, context, result);
    if (!st) return -1;
    text_buf doc = {0};
    repair_stats rs;
    const char *input = NULL;
    size_t input_len = 0;
    if (ingest_repair_document(s, len, limits->max_entity_expansion, &doc, &rs, &input, &input_len) != 0) {
        free(doc.data);
        free_state(st);
        return -1;
    }
    result->repaired_entities = rs.repaired + rs.html_entities;
    result->unknown_entities = rs.unknown_entities;
    result->expansion_capped = rs.expansion_capped;
    result->external_entities = rs.external_entities + rs.external_declared;
    result->control_chars = rs.control_chars;
    if (rs.junk_before_prolog) add_message(st, "junk before the XML prolog skipped", 0);
    run_sax(st, input, input_len, 0);
    free(doc.data);
    finish_document(st);
    free_state(st);
    return 0;
}

/* ---------------------------------------------------------------- HTML links */

typedef struct {
    ingest_html_link_callback cb;
    void *ctx;
    char **base;
} links_state;

static void html_start(void *ctx, const xmlChar *name, const xmlChar **atts) {
    links_state *ls = ctx;
    const char *n = (const char *)name;
    if (!atts) return;
    if (!strcasecmp(n, "base")) {
        for (int i = 0; atts[i]; i += 2)
            if (!strcasecmp((const char *)atts[i], "href") && atts[i + 1] && !*ls->base) *ls->base = strdup((const char *)atts[i + 1]);
        return;
    }
    if (strcasecmp(n, "link") && strcasecmp(n, "a")) return;
    const char *rel = "", *type = "", *href = NULL, *title = "";
    for (int i = 0; atts[i]; i += 2) {
        const char *an = (const char *)atts[i], *av = atts[i + 1] ? (const char *)atts[i + 1] : "";
        if (!strcasecmp(an, "rel")) rel = av;
        else if (!strcasecmp(an, "type")) type = av;
        else if (!strcasecmp(an, "href")) href = av;
        else if (!strcasecmp(an, "title")) title = av;
    }
    if (href) ls->cb(ls->ctx, rel, type, href, title);
}

static void html_silent(void *ctx, xmlErrorPtr err) { (void)ctx; (void)err; }

void ingest_html_links(const uint8_t *utf8, size_t len, ingest_html_link_callback callback, void *context,
                       char **base_href) {
    ingest_xml_init();
    *base_href = NULL;
    links_state ls = {callback, context, base_href};
    htmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    sax.startElement = html_start;
    sax.serror = html_silent;
    sax.initialized = 1;
    htmlParserCtxtPtr ctxt = htmlCreatePushParserCtxt(&sax, &ls, NULL, 0, NULL, XML_CHAR_ENCODING_UTF8);
    if (!ctxt) return;
    htmlCtxtUseOptions(ctxt, HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                 HTML_PARSE_IGNORE_ENC);
    htmlParseChunk(ctxt, (const char *)utf8, (int)(len > 0x7fffffff ? 0x7fffffff : len), 1);
    htmlFreeParserCtxt(ctxt);
}

/* ---------------------------------------------------------------- floor */

long ingest_xml_reader_floor(const uint8_t *utf8, size_t len) {
    ingest_xml_init();
    xmlTextReaderPtr r = xmlReaderForMemory((const char *)utf8, (int)len, NULL, "UTF-8",
                                            XML_PARSE_RECOVER | XML_PARSE_NONET | XML_PARSE_HUGE | XML_PARSE_NOERROR |
                                                XML_PARSE_NOWARNING | XML_PARSE_IGNORE_ENC);
    if (!r) return -1;
    long nodes = 0;
    size_t touched = 0;
    while (xmlTextReaderRead(r) == 1) {
        const xmlChar *name = xmlTextReaderConstLocalName(r);
        const xmlChar *value = xmlTextReaderConstValue(r);
        if (name) touched += name[0];
        if (value) touched += value[0];
        nodes++;
    }
    xmlFreeTextReader(r);
    return nodes + (long)(touched & 0);
}
