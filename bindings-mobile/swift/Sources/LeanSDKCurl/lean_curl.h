// libcurl for `CurlTransport` (Linux): Swift cannot call C's variadic `curl_easy_setopt` and
// `curl_easy_getinfo`, nor read the macros these use, so each option type gets one typed
// inline function here. Nothing else: every decision is in CurlTransport.swift.
#ifndef LEAN_CURL_H
#define LEAN_CURL_H

#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>

/// curl_global_init with the default flags, once per process before any handle.
static inline CURLcode lean_curl_global_init(void) { return curl_global_init(CURL_GLOBAL_DEFAULT); }

static inline CURLcode lean_curl_set_long(CURL *curl, CURLoption option, long value) {
    return curl_easy_setopt(curl, option, value);
}

/// Strings are copied by libcurl (except CURLOPT_POSTFIELDS, which is not used).
static inline CURLcode lean_curl_set_string(CURL *curl, CURLoption option, const char *value) {
    return curl_easy_setopt(curl, option, value);
}

static inline CURLcode lean_curl_set_pointer(CURL *curl, CURLoption option, void *value) {
    return curl_easy_setopt(curl, option, value);
}

/// In-memory PEM (CURLOPT_SSLCERT_BLOB, CURLOPT_SSLKEY_BLOB, CURLOPT_CAINFO_BLOB), copied.
static inline CURLcode lean_curl_set_blob(CURL *curl, CURLoption option, const void *data, size_t length) {
    struct curl_blob blob = {(void *)data, length, CURL_BLOB_COPY};
    return curl_easy_setopt(curl, option, &blob);
}

/// CURLOPT_WRITEFUNCTION or CURLOPT_HEADERFUNCTION.
static inline CURLcode lean_curl_set_write(CURL *curl, CURLoption option, curl_write_callback callback) {
    return curl_easy_setopt(curl, option, callback);
}

static inline CURLcode lean_curl_set_xferinfo(CURL *curl, curl_xferinfo_callback callback) {
    return curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, callback);
}

static inline CURLcode lean_curl_info_long(CURL *curl, CURLINFO info, long *value) {
    return curl_easy_getinfo(curl, info, value);
}

static inline CURLcode lean_curl_info_off_t(CURL *curl, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(curl, info, value);
}

#endif
