package io.tether.cli;

/**
 * {@code -o}: aligned tables for people, the API's JSON for scripts, PEM where a command
 * shows certificates, and the SPIFFE bundle format (a JWK Set) for the trust bundle.
 */
enum OutputFormat {

	TABLE, JSON, PEM, SPIFFE

}
