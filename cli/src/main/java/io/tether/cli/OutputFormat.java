package io.tether.cli;

/**
 * {@code -o}: aligned tables for people, the API's JSON for scripts, PEM where a command
 * shows certificates.
 */
enum OutputFormat {

	TABLE, JSON, PEM

}
