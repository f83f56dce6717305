#ifndef INGEST_CURL_H
#define INGEST_CURL_H
/* Typed wrappers around libcurl's variadic API (unavailable to Swift). */
#include <curl/curl.h>
const char *ingest_curl_version(void);
#endif
