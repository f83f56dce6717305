#ifndef INGEST_REPAIR_H
#define INGEST_REPAIR_H
#include "ingest_text.h"

typedef struct {
    int repaired;            /* bare '&' and '<' escaped */
    int html_entities;       /* undeclared HTML named entities turned into numbers */
    int unknown_entities;    /* names known nowhere, kept as text */
    int external_entities;   /* references to SYSTEM/PUBLIC entities, expanded to nothing */
    int external_declared;
    int expansion_capped;    /* references dropped at the expansion budget or depth */
    int control_chars;
    int junk_before_prolog;
    int doctype;
} repair_stats;

/* Sets use and use_len to the bytes libxml2 should read: a slice of `s` when nothing needed
 * repair, else out's buffer. */
int ingest_repair_document(const char *s, size_t n, size_t max_expansion, text_buf *out, repair_stats *stats,
                           const char **use, size_t *use_len);
/* Where the document proper starts (after BOM, junk and the XML declaration), and
 * whether a DOCTYPE follows: then the repair pass is mandatory, it alone handles entities. */
int ingest_prolog_scan(const char *s, size_t n, size_t *body, int *junk);
#endif
