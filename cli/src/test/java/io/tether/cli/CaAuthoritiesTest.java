package io.tether.cli;

import java.time.Instant;
import java.util.List;

import io.tether.api.AuthorityView;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class CaAuthoritiesTest {

	private static final AuthorityView ROOT = authority("r-1", "root", 1, "active", "aa01");

	private static final AuthorityView OLD = authority("i-1", "intermediate", 1, "retired", "bb01");

	private static final AuthorityView ACTIVE = authority("i-2", "intermediate", 2, "active", "bb02");

	private static final AuthorityView PREPARED = authority("i-3", "intermediate", 3, "prepared", "bb03");

	private static final List<AuthorityView> CA = List.of(ROOT, OLD, ACTIVE, PREPARED);

	@Test
	void selectByKindAndGenerationAsCaShowListsThem() {
		assertThat(CaAuthorities.select(CA, "intermediate:2")).isSameAs(ACTIVE);
		assertThat(CaAuthorities.select(CA, "Root:1")).isSameAs(ROOT);
	}

	@Test
	void selectByIdOrKeyIdWithOrWithoutColons() {
		assertThat(CaAuthorities.select(CA, "i-3")).isSameAs(PREPARED);
		assertThat(CaAuthorities.select(CA, "bb02")).isSameAs(ACTIVE);
		assertThat(CaAuthorities.select(CA, "BB:02")).isSameAs(ACTIVE);
	}

	@Test
	void selectOfNoSuchAuthorityIsNotFoundAndSaysWhereToLook() {
		assertThatExceptionOfType(CliException.class).isThrownBy(() -> CaAuthorities.select(CA, "intermediate:9"))
			.withMessage("No authority 'intermediate:9'; 'tether ca show' lists them: name one as KIND:GEN "
					+ "(intermediate:2), by its id or its key id")
			.extracting(CliException::exitCode)
			.isEqualTo(ExitCode.NOT_FOUND);
		assertThatExceptionOfType(CliException.class).isThrownBy(() -> CaAuthorities.select(CA, "ffff"))
			.extracting(CliException::exitCode)
			.isEqualTo(ExitCode.NOT_FOUND);
	}

	@Test
	void selectWithABadKindOrGenerationIsAUsageError() {
		assertThatExceptionOfType(CliException.class).isThrownBy(() -> CaAuthorities.select(CA, "leaf:1"))
			.withMessageContaining("the kind is root or intermediate")
			.extracting(CliException::exitCode)
			.isEqualTo(ExitCode.USAGE);
		assertThatExceptionOfType(CliException.class).isThrownBy(() -> CaAuthorities.select(CA, "intermediate:two"))
			.withMessageContaining("the generation is a number")
			.extracting(CliException::exitCode)
			.isEqualTo(ExitCode.USAGE);
	}

	@Test
	void crlShowWithoutAuthorityTakesEveryOneThatPublishes() {
		assertThat(CrlCommand.Show.chosen(CA, null)).containsExactly(ROOT, ACTIVE, PREPARED);
		assertThat(CrlCommand.Show.chosen(CA, "intermediate:3")).containsExactly(PREPARED);
	}

	@Test
	void crlShowOfARetiredAuthoritySaysItPublishesNone() {
		assertThatExceptionOfType(CliException.class).isThrownBy(() -> CrlCommand.Show.chosen(CA, "intermediate:1"))
			.withMessageStartingWith("intermediate:1 is retired and publishes no CRL")
			.extracting(CliException::exitCode)
			.isEqualTo(ExitCode.NOT_FOUND);
	}

	@Test
	void serialsAreHexWithOptionalColonsAndAnythingElseIsAFile() {
		assertThat(CertCommand.Status.isSerial("5f1c0a")).isTrue();
		assertThat(CertCommand.Status.isSerial("5F:1C:0A")).isTrue();
		assertThat(CertCommand.Status.isSerial("cert.pem")).isFalse();
		assertThat(CertCommand.Status.isSerial("/etc/tls/cafe")).isFalse();
		assertThat(CertCommand.Status.isSerial(":")).isFalse();
	}

	private static AuthorityView authority(String id, String kind, int generation, String status, String keyId) {
		Instant now = Instant.now();
		return new AuthorityView(id, kind, generation, "CN=" + kind, "01", "ec-p256", "kek", now, now.plusSeconds(3600),
				status, null, null, null, "00", keyId, null, null, null);
	}

}
