#include "ingest_curl.h"
const char *ingest_curl_version(void) { return curl_version(); }
