package io.tether.workload.binding;

import java.time.Instant;

/**
 * Remembers the {@code jti} of every DPoP proof accepted while it could still be replayed
 * (RFC 9449 §11.1). Several instances of a resource server behind one address must share
 * one store ({@link JdbcDpopReplayStore}), or a proof captured on its way to one instance
 * is accepted again by another.
 * <p>
 * Implementations are thread-safe.
 */
public interface DpopReplayStore {

	/**
	 * Records a proof's {@code jti}, atomically, unless it was recorded before and has
	 * not expired.
	 * @param jti the proof's {@code jti}
	 * @param expiresAt when the proof can no longer be accepted anyway, and the record
	 * may go
	 * @return {@code true} if it was new (the proof may be accepted), {@code false} if it
	 * was seen before (a replay)
	 * @throws IllegalStateException if the store cannot answer (the proof must then be
	 * refused: accepting it unchecked would allow a replay)
	 */
	boolean firstUse(String jti, Instant expiresAt);

}
