/**
 * Gauges read from the database, refreshed in the background so that a scrape never
 * queries. A shared mechanism: each feature registers the meters of the data it owns.
 */
package io.tether.server.metrics;
