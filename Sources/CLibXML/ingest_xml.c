#include "ingest_xml.h"
#include <libxml/xmlversion.h>
const char *ingest_xml_version(void) { return LIBXML_DOTTED_VERSION; }
