package io.tether.authz;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The Tether authorization server: authenticates workloads by their Tether certificates
 * (RFC 8705 {@code tls_client_auth}, client identified by SPIFFE ID) and issues JWT
 * access tokens bound to those certificates.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class TetherAuthzApplication {

	public static void main(String[] args) {
		SpringApplication.run(TetherAuthzApplication.class, args);
	}

}
