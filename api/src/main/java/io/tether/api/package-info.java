/**
 * The wire contract of Tether's CA server: one record for every JSON request and response
 * body of {@code /v1}, and {@link io.tether.api.ProblemType} for every error. The server
 * writes these records, and the CLI, the agent and the authorization server read them, so
 * a renamed or retyped field fails the compile of every side, not an end-to-end run.
 * Field names are the API's (see {@code docs/api.md}); times are ISO-8601 instants,
 * durations ISO-8601 durations. No dependencies, so that any client can embed it.
 */
package io.tether.api;
