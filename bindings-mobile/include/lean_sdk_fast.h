/*
 * The plain C entry points of liblean_sdk_mobile (src/fast.rs), beside the
 * generated uniffi header: webhook verification with no copy of the body.
 * Swift's Webhooks.Verifier calls them (its generated call would copy the body
 * into a Rust buffer byte by byte); any C host may.
 */
#ifndef LEAN_SDK_FAST_H
#define LEAN_SDK_FAST_H

#include <stdint.h>

/* 0 when `signature` (signature_len < 0: the header is absent) matches
 * `payload` under the verifier behind `handle` (NativeWebhookVerifier's
 * fastHandle), 1 when not (ask the generated verify for the detailed error),
 * -1 for a released or unknown handle. */
int32_t lean_sdk_fast_verify(uint64_t handle, const uint8_t *payload, int32_t payload_len,
                             const uint8_t *signature, int32_t signature_len);

/* Releases a handle: 0 when it was live, -1 otherwise. */
int32_t lean_sdk_fast_release(uint64_t handle);

#endif
