// OpenSSL (libssl-dev) for DTLS, which swift-nio-ssl does not offer. The inline functions
// wrap OpenSSL's macros, which Swift cannot call.
#ifndef TURNLOAD_COPENSSL_SHIM_H
#define TURNLOAD_COPENSSL_SHIM_H

#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/bio.h>
#include <openssl/x509v3.h>

static inline long turnload_SSL_set_tlsext_host_name(SSL *ssl, const char *name) {
    return SSL_set_tlsext_host_name(ssl, name);
}

static inline long turnload_DTLS_get_timeout(SSL *ssl, struct timeval *timeout) {
    return DTLSv1_get_timeout(ssl, timeout);
}

static inline long turnload_DTLS_handle_timeout(SSL *ssl) {
    return DTLSv1_handle_timeout(ssl);
}

static inline long turnload_SSL_CTX_set_min_proto_version(SSL_CTX *context, int version) {
    return SSL_CTX_set_min_proto_version(context, version);
}

static inline long turnload_BIO_set_mem_eof_return(BIO *bio, int value) {
    return BIO_set_mem_eof_return(bio, value);
}

static inline long turnload_SSL_set_mtu(SSL *ssl, long mtu) {
    SSL_set_options(ssl, SSL_OP_NO_QUERY_MTU);
    return SSL_set_mtu(ssl, mtu);
}

#endif
