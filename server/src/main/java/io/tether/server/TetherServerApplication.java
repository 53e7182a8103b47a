package io.tether.server;

import java.security.SecureRandom;
import java.time.Clock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

/**
 * The Tether CA service.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class TetherServerApplication {

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(TetherServerApplication.class);
		application.addListeners(new IssuanceWarmup());
		application.run(args);
	}

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

	@Bean
	SecureRandom secureRandom() {
		return new SecureRandom();
	}

}
