package io.tether.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import jakarta.persistence.Entity;
import org.junit.jupiter.api.Test;

import org.springframework.data.repository.Repository;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.RestController;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The server's package boundaries, enforced: a change that crosses one fails the build
 * here rather than in a reviewer's head. Features are the top-level packages under
 * {@code io.tether.server}; {@code web}, {@code security} and {@code identity} are shared
 * mechanisms that know no feature.
 */
class ServerBoundariesTest {

	private static final String ROOT = "io.tether.server";

	/** Shared mechanisms: any feature may use them; they use no feature. */
	private static final List<String> SHARED = List.of("web", "security", "identity", "jobs", "metrics");

	private static final JavaClasses SERVER = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages(ROOT);

	@Test
	void featurePackagesFormNoCycle() {
		slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(SERVER);
	}

	@Test
	void sharedMechanismsDependOnNoFeature() {
		for (String shared : SHARED) {
			noClasses().that()
				.resideInAPackage(ROOT + "." + shared + "..")
				.should()
				.dependOnClassesThat(inAFeature())
				.because("'" + shared + "' is shared by every feature and must not know any of them")
				.check(SERVER);
		}
	}

	@Test
	void noFeatureReachesIntoAnotherFeaturesInternals() {
		classes().should(accessOnlyTheirOwnFeaturesInternals()).check(SERVER);
	}

	@Test
	void entitiesAndRepositoriesArePrivateToTheirFeature() {
		classes().that()
			.areAnnotatedWith(Entity.class)
			.or()
			.areAssignableTo(Repository.class)
			.should()
			.notBePublic()
			.because("other features go through the feature's service, not its tables")
			.check(SERVER);
	}

	@Test
	void publicMethodsExposeNoTypeTheirFeatureKeepsPrivate() {
		methods().that()
			.arePublic()
			.and()
			.areDeclaredInClassesThat()
			.arePublic()
			.should(exposeOnlyPublicTypes())
			.because("a feature's public surface is its service: what it returns or takes, others must be able to name")
			.check(SERVER);
	}

	@Test
	void controllersHoldNoTransactions() {
		classes().that()
			.areAnnotatedWith(RestController.class)
			.should()
			.notBeAnnotatedWith(Transactional.class)
			.check(SERVER);
		methods().that()
			.areDeclaredInClassesThat()
			.areAnnotatedWith(RestController.class)
			.should()
			.notBeAnnotatedWith(Transactional.class)
			.because("a transaction belongs to a service, where it can be reused and tested without HTTP")
			.check(SERVER);
	}

	private static DescribedPredicate<JavaClass> inAFeature() {
		return new DescribedPredicate<>("belong to a feature package") {

			@Override
			public boolean test(JavaClass type) {
				String feature = feature(type);
				return feature != null && !SHARED.contains(feature);
			}

		};
	}

	private static ArchCondition<JavaClass> accessOnlyTheirOwnFeaturesInternals() {
		return new ArchCondition<>("use only their own feature's internal packages") {

			@Override
			public void check(JavaClass type, ConditionEvents events) {
				String own = feature(type);
				type.getDirectDependenciesFromSelf().forEach((dependency) -> {
					JavaClass target = dependency.getTargetClass();
					if (target.getPackageName().contains(".internal")
							&& !Set.of(String.valueOf(own)).contains(String.valueOf(feature(target)))) {
						events.add(SimpleConditionEvent.violated(type, dependency.getDescription()));
					}
				});
			}

		};
	}

	private static ArchCondition<JavaMethod> exposeOnlyPublicTypes() {
		return new ArchCondition<>("take and return only public types") {

			@Override
			public void check(JavaMethod method, ConditionEvents events) {
				List<JavaClass> types = new ArrayList<>(method.getRawParameterTypes());
				types.add(method.getRawReturnType());
				for (JavaClass type : types) {
					JavaClass base = type.isArray() ? type.getBaseComponentType() : type;
					if (base.getPackageName().startsWith(ROOT) && !base.getModifiers().contains(JavaModifier.PUBLIC)) {
						events.add(SimpleConditionEvent.violated(method,
								method.getFullName() + " exposes " + base.getName() + ", which is not public"));
					}
				}
			}

		};
	}

	/**
	 * The top-level package under the server's root, or {@code null} for the root itself.
	 */
	static String feature(JavaClass type) {
		String name = type.getPackageName();
		if (!name.startsWith(ROOT + ".")) {
			return null;
		}
		String rest = name.substring(ROOT.length() + 1);
		int dot = rest.indexOf('.');
		return (dot < 0) ? rest : rest.substring(0, dot);
	}

}
