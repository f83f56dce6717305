#ifndef INGEST_CURL_H
#define INGEST_CURL_H
/*
 * Typed wrappers around libcurl's variadic API.
 *
 * curl_easy_setopt, curl_easy_getinfo and curl_multi_setopt are C variadics, which
 * Swift 6 marks unavailable; each wrapper fixes one argument type so Swift can call it
 * and the C compiler passes the argument the way libcurl's va_arg expects.
 */
#include <curl/curl.h>
#include <stddef.h>

/* libcurl's version string, e.g. "libcurl/7.88.1 OpenSSL/3.0 zlib/1.2.13". */
const char *ingest_curl_version(void);

/* curl_global_init exactly once per process, thread-safe. Returns CURLE_OK or the
   first call's error on every call. */
CURLcode ingest_curl_global_init_once(void);

/* Easy handle options, one per C argument type. */
CURLcode ingest_easy_setopt_long(CURL *easy, CURLoption option, long value);
CURLcode ingest_easy_setopt_ptr(CURL *easy, CURLoption option, void *value);
CURLcode ingest_easy_setopt_string(CURL *easy, CURLoption option, const char *value);
CURLcode ingest_easy_setopt_off_t(CURL *easy, CURLoption option, curl_off_t value);

/* The write and header callbacks share libcurl's curl_write_callback signature. */
typedef size_t (*ingest_data_callback)(char *data, size_t size, size_t count, void *userdata);
CURLcode ingest_easy_setopt_callback(CURL *easy, CURLoption option, ingest_data_callback callback);

/* Easy handle information, one per result type. The string is owned by libcurl and
   valid until the handle is reset or cleaned up. */
CURLcode ingest_easy_getinfo_long(CURL *easy, CURLINFO info, long *value);
CURLcode ingest_easy_getinfo_string(CURL *easy, CURLINFO info, const char **value);
CURLcode ingest_easy_getinfo_off_t(CURL *easy, CURLINFO info, curl_off_t *value);
CURLcode ingest_easy_getinfo_double(CURL *easy, CURLINFO info, double *value);

/* Multi handle options. */
CURLMcode ingest_multi_setopt_long(CURLM *multi, CURLMoption option, long value);

/* Pops the next finished transfer from the multi handle: returns 1 and fills `easy`
   and `result`, or 0 when no finished transfer is left. Hides CURLMsg's union. */
int ingest_multi_next_done(CURLM *multi, CURL **easy, CURLcode *result);

/* Seconds since the epoch for an HTTP date (RFC 1123, RFC 850 or asctime), or -1. */
long long ingest_curl_parse_http_date(const char *text);

#endif
