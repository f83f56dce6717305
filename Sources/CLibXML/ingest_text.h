#ifndef INGEST_TEXT_INTERNAL_H
#define INGEST_TEXT_INTERNAL_H
/* Internal to CLibXML (not in include/): growable buffers and text rendering. */
#include <stddef.h>

typedef struct { char *data; size_t len, cap; int oom; } text_buf;

int tb_reserve(text_buf *b, size_t extra);
void tb_append(text_buf *b, const char *s, size_t n);
void tb_putc(text_buf *b, char c);
void tb_put_codepoint(text_buf *b, unsigned cp);

/* Marks a block boundary inside captured text; control characters never survive the
 * repair pass, so this byte cannot come from the document. */
#define INGEST_BREAK_MARK 0x01

enum {
    /* White space collapsed, a blank line kept as a break. */
    INGEST_TEXT_PLAIN = 0,
    /* Tags dropped (blocks become breaks), entities decoded. */
    INGEST_TEXT_HTML = 1,
    /* Everything collapsed to one line except explicit break marks. */
    INGEST_TEXT_LINE = 2,
};

void ingest_render_text(const char *s, size_t n, int mode, text_buf *out);
int ingest_is_block_tag(const char *lower_name);
/* Code point of an HTML 4 named entity (without '&' and ';'), 0 when there is none. */
unsigned ingest_html_entity(const char *name);
#endif
