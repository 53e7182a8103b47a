package io.tether.server.security;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a controller or handler method that only an operator of at least the given role
 * may call, with its client certificate over mTLS: an enrolled, unrevoked operator
 * ({@code spiffe://<trust-domain>/tether/operator/<name>}) or the bootstrap admin
 * ({@code spiffe://<trust-domain>/tether/admin}, role admin, unless retired). The
 * certificate itself must be one this CA recorded and did not revoke. An annotation on a
 * method wins over the one on its class.
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface RequiresRole {

	/**
	 * The least role that may call.
	 */
	Role value();

}
