package io.tether.api;

import java.util.List;

/**
 * The answer to {@code GET /v1/operators}, by name.
 *
 * @param operators every operator, revoked ones included
 */
public record OperatorList(List<OperatorView> operators) {
}
