package io.tether.server.security;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RoleTest {

	@Test
	void eachRoleIncludesItselfAndTheOnesBelowItOnly() {
		assertThat(Role.ADMIN.includes(Role.OPERATOR)).isTrue();
		assertThat(Role.ADMIN.includes(Role.AUDITOR)).isTrue();
		assertThat(Role.OPERATOR.includes(Role.OPERATOR)).isTrue();
		assertThat(Role.OPERATOR.includes(Role.AUDITOR)).isTrue();
		assertThat(Role.OPERATOR.includes(Role.ADMIN)).isFalse();
		assertThat(Role.AUDITOR.includes(Role.OPERATOR)).isFalse();
		assertThat(Role.AUDITOR.includes(Role.ADMIN)).isFalse();
	}

	@Test
	void rolesReadAndWriteAsLowercaseNamesAndNothingElse() {
		for (Role role : Role.values()) {
			assertThat(Role.parse(role.id())).isEqualTo(role);
		}
		assertThat(Role.parse("ADMIN")).isNull();
		assertThat(Role.parse("root")).isNull();
		assertThat(Role.parse(null)).isNull();
	}

}
