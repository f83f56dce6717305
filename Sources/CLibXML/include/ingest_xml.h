#ifndef INGEST_XML_H
#define INGEST_XML_H
/* Opaque API over libxml2. Only the .c files of this target include libxml2 headers:
 * Debian's libxml2 headers pull in ICU, whose types clash with Foundation's in Swift. */
#include <stddef.h>
const char *ingest_xml_version(void);
#endif
