package io.tether.server.security;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a controller or handler method that only an admin may call: the TLS client
 * certificate must chain to this CA (checked by the TLS layer) and carry the admin SPIFFE
 * ID ({@code spiffe://<trust-domain>/tether/admin}).
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface AdminOnly {

}
