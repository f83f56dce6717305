#ifndef INGEST_FEED_H
#define INGEST_FEED_H
/* Streaming feed reader over libxml2's SAX2 parser. The C side gathers each item's
 * fields (text already plain, URLs already absolute) and hands a finished item to the
 * caller in one callback, so Swift sees one call per item, not one per SAX event.
 * Only plain C types here: libxml2's headers stay inside the .c files. */
#include <stddef.h>
#include <stdint.h>

/* What a field is. Namespaced variants keep their own code so the caller can apply the
 * priorities of each format (content:encoded over description, Atom rel=alternate, ...). */
enum {
    INGEST_F_NONE = 0,
    INGEST_F_TITLE, INGEST_F_LINK, INGEST_F_DESCRIPTION, INGEST_F_SUMMARY, INGEST_F_CONTENT,
    INGEST_F_CONTENT_ENCODED, INGEST_F_GUID, INGEST_F_ID, INGEST_F_PUBDATE, INGEST_F_DC_DATE,
    INGEST_F_PUBLISHED, INGEST_F_UPDATED, INGEST_F_ISSUED, INGEST_F_MODIFIED, INGEST_F_CREATED,
    INGEST_F_AUTHOR, INGEST_F_DC_CREATOR, INGEST_F_AUTHOR_NAME, INGEST_F_AUTHOR_EMAIL,
    INGEST_F_AUTHOR_URI, INGEST_F_CONTRIBUTOR_NAME, INGEST_F_CATEGORY, INGEST_F_DC_SUBJECT,
    INGEST_F_SOURCE, INGEST_F_SOURCE_TITLE, INGEST_F_ENCLOSURE, INGEST_F_MEDIA_CONTENT,
    INGEST_F_MEDIA_THUMBNAIL, INGEST_F_MEDIA_DESCRIPTION, INGEST_F_MEDIA_TITLE, INGEST_F_COMMENTS,
    INGEST_F_SLASH_COMMENTS, INGEST_F_LANGUAGE, INGEST_F_DC_LANGUAGE, INGEST_F_ITUNES_SUMMARY,
    INGEST_F_ITUNES_AUTHOR, INGEST_F_ITUNES_IMAGE, INGEST_F_ITUNES_SUBTITLE, INGEST_F_TTL,
    INGEST_F_SY_PERIOD, INGEST_F_SY_FREQUENCY, INGEST_F_SUBTITLE, INGEST_F_TAGLINE,
    INGEST_F_LASTBUILDDATE, INGEST_F_DC_TITLE, INGEST_F_DC_DESCRIPTION, INGEST_F_DCTERMS_MODIFIED,
    INGEST_F_DCTERMS_CREATED, INGEST_F_DCTERMS_ISSUED, INGEST_F_RDF_ABOUT, INGEST_F_XML_LANG,
    INGEST_F_WFW_COMMENTRSS, INGEST_F_MEDIA_CREDIT, INGEST_F_MEDIA_KEYWORDS, INGEST_F_ITUNES_CATEGORY,
    INGEST_F_MEDIA_CATEGORY, INGEST_F_ITUNES_KEYWORDS,
    INGEST_F_COUNT
};

/* Namespace of the element a field came from. */
enum {
    INGEST_NS_NONE = 0, INGEST_NS_ATOM10, INGEST_NS_ATOM03, INGEST_NS_RSS1, INGEST_NS_RSS090,
    INGEST_NS_RDF, INGEST_NS_DC, INGEST_NS_DCTERMS, INGEST_NS_CONTENT, INGEST_NS_MEDIA,
    INGEST_NS_ITUNES, INGEST_NS_SLASH, INGEST_NS_SY, INGEST_NS_XHTML, INGEST_NS_WFW, INGEST_NS_RSS_NETSCAPE,
    INGEST_NS_OTHER
};

/* Root kinds, so the caller can tell a feed from something else. */
enum {
    INGEST_ROOT_NONE = 0, INGEST_ROOT_RSS, INGEST_ROOT_RDF, INGEST_ROOT_ATOM10, INGEST_ROOT_ATOM03,
    INGEST_ROOT_CHANNEL, INGEST_ROOT_HTML, INGEST_ROOT_OTHER, INGEST_ROOT_CDF
};

#define INGEST_MAX_ATTRS 8

typedef struct {
    int32_t code;
    int32_t ns;
    const char *text;
    size_t text_len;
    int32_t nattrs;
    const char *attr_names[INGEST_MAX_ATTRS];
    const char *attr_values[INGEST_MAX_ATTRS];
    /* 1 when the text was cut at the field size cap. */
    int32_t truncated;
    /* 1 when the text may not be valid UTF-8 (cut inside a character at the cap, or
     * decoded from base64). Everything else is UTF-8 libxml2 or this reader produced. */
    int32_t unverified;
} ingest_field;

/* One finished item (is_channel 0) or the feed-level fields (is_channel 1, delivered once,
 * after the last item). `lang` is the xml:lang in scope, or NULL. is_channel -1 (no
 * fields) means: forget everything delivered so far, the document is being read again
 * after repair. */
typedef void (*ingest_item_callback)(void *context, int32_t is_channel, const ingest_field *fields,
                                     int32_t count, const char *lang);

typedef struct {
    /* Element nesting beyond this is read for well-formedness but not recorded. */
    int32_t max_depth;
    /* Text kept per field, in bytes; the rest is dropped and the field marked truncated. */
    size_t max_field_bytes;
    /* Items beyond this are not delivered. */
    int32_t max_items;
    /* Bytes that internal entity expansion may add to the document, in total. */
    size_t max_entity_expansion;
    /* Recorded parse errors before the parser gives up (recover mode keeps going otherwise). */
    int32_t max_errors;
    /* Non-zero: let libxml2 read CDATA sections itself even on the fast path (tests compare
     * both ways of reading; see lift_cdata in ingest_feed.c). */
    int32_t no_cdata_lift;
} ingest_feed_limits;

typedef struct {
    int32_t root;
    /* `version` attribute of <rss> or Atom 0.3 <feed>, if any (static buffer in the result). */
    char version[16];
    int32_t items_seen;
    int32_t items_dropped;
    int32_t error_count;
    /* Well-formedness errors and repairs, first few only, "line N: message" joined by '\n'. */
    char *messages;
    int32_t repaired_entities;
    int32_t unknown_entities;
    int32_t expansion_capped;
    int32_t external_entities;
    int32_t control_chars;
    int32_t depth_capped;
    int32_t items_capped;
    int32_t stopped_early;
} ingest_feed_result;

/* Parses a UTF-8 document. `base_url` (may be NULL) is what relative links resolve
 * against before any xml:base. Returns 0, or -1 on allocation failure. The caller frees
 * result->messages with ingest_free.
 * `nul_after` non-zero promises that utf8[len] is readable and 0: libxml2 then reads the
 * bytes where they are instead of copying them (it reads up to that terminator, so
 * without the promise it must copy). */
int ingest_feed_parse(const uint8_t *utf8, size_t len, int nul_after, const char *base_url,
                      const ingest_feed_limits *limits,
                      ingest_item_callback callback, void *context, ingest_feed_result *result);

/* Initialises libxml2 once per process (thread-safe); every entry point here calls it,
 * other libxml2 users in this target (the article reader) should too. */
void ingest_xml_init(void);

/* HTML fragment to plain text: tags dropped, block elements become line breaks, entities
 * (numeric and HTML named) decoded once, white space collapsed. *out is malloc'd. */
int ingest_html_to_text(const char *html, size_t len, char **out, size_t *out_len);

/* Resolves `ref` against `base` (RFC 3986). Returns a malloc'd string or NULL. */
char *ingest_resolve_uri(const char *ref, const char *base);

/* <link> tags of an HTML document (rel, type, href, title as parallel strings) and its
 * <base href>, for feed autodiscovery. Callback once per <link>. */
typedef void (*ingest_html_link_callback)(void *context, const char *rel, const char *type, const char *href,
                                          const char *title);
void ingest_html_links(const uint8_t *utf8, size_t len, ingest_html_link_callback callback, void *context,
                       char **base_href);

/* The speed floor: an xmlTextReader pass that visits every node and touches its name
 * and value, nothing else. Returns the number of nodes, or -1 when the reader fails. */
long ingest_xml_reader_floor(const uint8_t *utf8, size_t len);
#endif
