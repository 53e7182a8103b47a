/**
 * Revocation published to every relying party: a CRL per issuing authority at
 * {@code /crl/<key id>.crl} and an OCSP responder at {@code /ocsp}, on the HTTPS port and
 * on a plain-HTTP listener that serves nothing else.
 */
package io.tether.server.revocation;
