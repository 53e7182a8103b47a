package io.tether.workload;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * The read side of a workload's credentials: whatever is current. Key and trust managers
 * call it at every handshake and hold nothing themselves; code that must act when the
 * credentials change (rebuild a trust store it hands elsewhere, say) subscribes instead
 * of polling. <pre>
 * CredentialSource.Subscription subscription = source.subscribe((credentials) -&gt;
 * 		logger.info("now trusting " + credentials.bundle().size() + " certificates"));
 * ...
 * subscription.close();
 * </pre>
 */
@FunctionalInterface
public interface CredentialSource {

	/**
	 * The current credentials.
	 * @return the latest snapshot that loaded successfully; never {@code null}
	 */
	X509Credentials current();

	/**
	 * Calls a listener with each new snapshot (a new certificate and key, or a new
	 * bundle), after it has become {@link #current()}, once per change. A snapshot that
	 * failed to load is not a change. An exception thrown by a listener is logged and
	 * neither stops the other listeners nor later reloads.
	 * <p>
	 * Listeners run one change at a time, in order, on the thread that loaded the change
	 * (a watcher's thread, usually): a slow listener delays the next reload, not
	 * handshakes, which keep reading {@link #current()}. This default is for sources
	 * whose credentials never change: it never calls the listener.
	 * @param listener called with the new snapshot
	 * @return what unsubscribes the listener
	 * @throws NullPointerException if {@code listener} is {@code null}
	 */
	default Subscription subscribe(Consumer<X509Credentials> listener) {
		Objects.requireNonNull(listener, "'listener' must not be null");
		return () -> {
		};
	}

	/**
	 * A listener's registration with a {@link CredentialSource}.
	 */
	@FunctionalInterface
	interface Subscription extends AutoCloseable {

		/**
		 * Stops calling the listener; a call already under way finishes. Closing twice
		 * does nothing more.
		 */
		@Override
		void close();

	}

}
