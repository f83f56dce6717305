#ifndef INGEST_HTML_PAGE_H
#define INGEST_HTML_PAGE_H
/* A news page reduced, in one C pass over libxml2's HTML tree, to what article
 * extraction needs: block-level nodes with their text statistics, the text blocks in
 * document order, and the page's metadata. Swift scores these tables; it never walks
 * the DOM itself, so the per-node work stays in C. Only plain C types cross this
 * header: libxml2's own headers pull in ICU, which clashes with Foundation. */
#include <stddef.h>
#include <stdint.h>

typedef struct ingest_html_page ingest_html_page;

/* Block-level tags the scorer tells apart; every other block-level tag is OTHER. */
enum {
    INGEST_HTML_TAG_OTHER = 0,
    INGEST_HTML_TAG_P, INGEST_HTML_TAG_DIV, INGEST_HTML_TAG_SECTION, INGEST_HTML_TAG_ARTICLE,
    INGEST_HTML_TAG_MAIN, INGEST_HTML_TAG_ASIDE, INGEST_HTML_TAG_HEADER, INGEST_HTML_TAG_FOOTER,
    INGEST_HTML_TAG_NAV, INGEST_HTML_TAG_H1, INGEST_HTML_TAG_H2, INGEST_HTML_TAG_H3,
    INGEST_HTML_TAG_H4, INGEST_HTML_TAG_H5, INGEST_HTML_TAG_H6, INGEST_HTML_TAG_LI,
    INGEST_HTML_TAG_UL, INGEST_HTML_TAG_OL, INGEST_HTML_TAG_TABLE, INGEST_HTML_TAG_TR,
    INGEST_HTML_TAG_TD, INGEST_HTML_TAG_BLOCKQUOTE, INGEST_HTML_TAG_PRE, INGEST_HTML_TAG_FORM,
    INGEST_HTML_TAG_BODY, INGEST_HTML_TAG_FIGURE, INGEST_HTML_TAG_FIGCAPTION, INGEST_HTML_TAG_DL,
    INGEST_HTML_TAG_DD, INGEST_HTML_TAG_DT, INGEST_HTML_TAG_CENTER, INGEST_HTML_TAG_HTML,
    INGEST_HTML_TAG_TH, INGEST_HTML_TAG_ADDRESS, INGEST_HTML_TAG_TIME /* <time> is inline but recorded */
};

/* Hints read from class and id (lower-cased substring matches). */
enum {
    INGEST_HTML_HINT_NEGATIVE = 1u << 0,  /* comment, share, sidebar, related, footer, ad ... */
    INGEST_HTML_HINT_POSITIVE = 1u << 1,  /* article, content, body, entry, post, text, story ... */
    INGEST_HTML_HINT_SUMMARY  = 1u << 2,  /* summary, abstract, digest, lead, excerpt, standfirst */
    INGEST_HTML_HINT_BYLINE   = 1u << 3,  /* byline, author, source, time, date, info, meta */
    INGEST_HTML_HINT_NAV      = 1u << 4,  /* nav, menu, breadcrumb, crumb, footer, header bars */
    INGEST_HTML_HINT_COMMENT  = 1u << 5,  /* comment, reply, discuss */
    INGEST_HTML_HINT_TITLE    = 1u << 6,  /* headline, title */
    INGEST_HTML_HINT_IN_LINK  = 1u << 7,  /* (blocks) the whole block sits inside one <a> */
    INGEST_HTML_HINT_ARTICLE_BODY = 1u << 8,  /* itemprop="articleBody" (or "text" on an Article): the publisher's own mark */
};

typedef struct {
    int32_t parent;        /* nearest recorded ancestor, -1 for the first node */
    int32_t subtree_end;   /* index of the last node of this node's subtree (inclusive) */
    uint16_t tag;          /* INGEST_HTML_TAG_* */
    uint16_t depth;
    uint32_t hints;        /* own class/id hints */
    uint32_t inherited;    /* hints of all ancestors, or-ed */
    uint32_t text_chars;   /* non-space code points in the subtree */
    uint32_t link_chars;   /* of which inside <a href> */
    uint32_t punct;        /* sentence punctuation, ASCII and full-width */
    uint32_t nodes;        /* recorded descendants, for text density */
    uint32_t paragraphs;   /* <p> and <br>-separated lines in the subtree */
    uint32_t attr_off, attr_len;  /* "class id" as written, in the string pool */
} ingest_html_node;

typedef struct {
    int32_t node;          /* owning block-level node */
    uint32_t text_off, text_len;  /* UTF-8 in the string pool; '\n' for <br> */
    uint32_t chars;
    uint32_t link_chars;
    uint32_t punct;
    uint32_t hints;        /* INGEST_HTML_HINT_IN_LINK */
} ingest_html_block;

enum {
    INGEST_HTML_META_NAME = 1,     /* <meta name|property|itemprop|http-equiv content> */
    INGEST_HTML_META_LINK,         /* <link rel href>: key = rel */
    INGEST_HTML_META_TITLE,        /* <title> text */
    INGEST_HTML_META_JSONLD,       /* <script type=application/ld+json> body */
    INGEST_HTML_META_TIME,         /* <time datetime>: key = datetime attr, value = visible text */
    INGEST_HTML_META_ITEMPROP,     /* body element with itemprop: key = prop, value = content/datetime attr or text */
    INGEST_HTML_META_LANG,         /* <html lang> */
    INGEST_HTML_META_AUTHOR_LINK,  /* <a rel=author> text */
};

typedef struct {
    uint32_t kind;
    int32_t node;          /* nearest recorded node (position in the page), -1 in <head> */
    uint32_t key_off, key_len;
    uint32_t value_off, value_len;
} ingest_html_meta;

/* Parses an HTML document. `encoding` names the bytes' charset (NULL: let libxml2
 * decide from the page). Never returns NULL for non-NULL input: an unreadable page
 * yields empty tables. */
ingest_html_page *ingest_html_page_parse(const char *bytes, size_t length, const char *encoding);
void ingest_html_page_free(ingest_html_page *page);

const ingest_html_node *ingest_html_page_nodes(const ingest_html_page *page, size_t *count);
const ingest_html_block *ingest_html_page_blocks(const ingest_html_page *page, size_t *count);
const ingest_html_meta *ingest_html_page_metas(const ingest_html_page *page, size_t *count);
const char *ingest_html_page_pool(const ingest_html_page *page, size_t *length);
/* The encoding libxml2 ended up reading the page in (NULL when unknown). */
const char *ingest_html_page_encoding(const ingest_html_page *page);

/* Benchmark floor: libxml2's HTML parse of the same bytes with the same options, tree
 * built and freed, nothing walked. Returns 0 when libxml2 produced no document. */
int ingest_html_parse_floor(const char *bytes, size_t length, const char *encoding);

#endif
