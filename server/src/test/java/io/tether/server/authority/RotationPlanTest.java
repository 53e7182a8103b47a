package io.tether.server.authority;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import io.tether.server.TetherProperties;
import io.tether.server.authority.AuthorityEntity.Kind;
import io.tether.server.authority.AuthorityEntity.Status;
import io.tether.server.authority.RotationPlan.Node;
import io.tether.server.authority.RotationPlan.Step;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The rotation state machine, driven by an injected clock over decades of simulated time:
 * every transition happens at its point, the invariants hold after every step, and a
 * server stopped in any state, for any length of time, catches up at its next start. The
 * model below applies each step as the database does ({@link HierarchyAuthority}); the
 * plan decides.
 */
class RotationPlanTest {

	private static final Duration ROOT_TTL = Duration.ofDays(3650);

	private static final Duration INTERMEDIATE_TTL = Duration.ofDays(365);

	private static final Duration CHECK = Duration.ofHours(1);

	/** The longest leaf the start-up check lets through with these lifetimes. */
	private static final Duration LONGEST_LEAF = INTERMEDIATE_TTL.dividedBy(2).minus(CHECK);

	private static final Duration LEAD = RotationPlan.publicationLead(INTERMEDIATE_TTL);

	private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

	@Test
	void twentyFiveYearsOfHourlyChecksRotateOnScheduleAndKeepEveryInvariant() {
		Model model = Model.created(START);
		int activations = 0;
		int rootActivations = 0;
		for (Instant now = START; now.isBefore(START.plus(Duration.ofDays(25 * 365))); now = now.plus(CHECK)) {
			Node activeBefore = model.single(Kind.INTERMEDIATE, Status.ACTIVE);
			Node rootBefore = model.single(Kind.ROOT, Status.ACTIVE);
			model.settle(now);
			model.assertInvariants(now);
			Node active = model.single(Kind.INTERMEDIATE, Status.ACTIVE);
			if (!active.id().equals(activeBefore.id())) {
				activations++;
				assertThat(Duration.between(model.preparedAt(active), now))
					.as("intermediate %s published for the lead before it signed", active.generation())
					.isGreaterThanOrEqualTo(LEAD.minus(CHECK));
				assertThat(now).as("hand-over at half the old one's life")
					.isAfterOrEqualTo(activeBefore.pointInLife(RotationPlan.ACTIVATION_POINT))
					.isBefore(activeBefore.pointInLife(RotationPlan.ACTIVATION_POINT).plus(CHECK));
			}
			Node root = model.single(Kind.ROOT, Status.ACTIVE);
			if (!root.id().equals(rootBefore.id())) {
				rootActivations++;
				assertThat(Duration.between(root.issuedAt(), now))
					.as("root %s published long before use", root.generation())
					.isGreaterThanOrEqualTo(LEAD.multipliedBy(2).minus(CHECK));
			}
		}
		// the first intermediate serves half a life, each later one a third
		assertThat(activations).isBetween(73, 75);
		// roots prepared at 8, 16 and 24 years, each active with the next intermediate
		assertThat(rootActivations).isEqualTo(3);
		// the third still has intermediates valid at 25 years
		assertThat(model.nodes).filteredOn((node) -> node.kind() == Kind.ROOT && node.status() == Status.RETIRED)
			.hasSize(2);
	}

	@Test
	void everyTransitionHappensInOrderForOneIntermediate() {
		Model model = Model.created(START);
		Node first = model.single(Kind.INTERMEDIATE, Status.ACTIVE);
		model.settle(first.pointInLife(RotationPlan.PREPARE_POINT).minusSeconds(1));
		assertThat(model.single(Kind.INTERMEDIATE, Status.PREPARED)).isNull();

		model.settle(first.pointInLife(RotationPlan.PREPARE_POINT));
		Node second = model.single(Kind.INTERMEDIATE, Status.PREPARED);
		assertThat(second).as("prepared at a third of the active one's life").isNotNull();
		assertThat(transition(model, second))
			.isEqualTo(new RotationPlan.Transition("active", first.pointInLife(RotationPlan.ACTIVATION_POINT)));
		assertThat(transition(model, first))
			.isEqualTo(new RotationPlan.Transition("retiring", first.pointInLife(RotationPlan.ACTIVATION_POINT)));

		model.settle(first.pointInLife(RotationPlan.ACTIVATION_POINT).minusSeconds(1));
		assertThat(model.get(second.id()).status()).isEqualTo(Status.PREPARED);
		model.settle(first.pointInLife(RotationPlan.ACTIVATION_POINT));
		assertThat(model.get(second.id()).status()).isEqualTo(Status.ACTIVE);
		assertThat(model.get(first.id()).status()).isEqualTo(Status.RETIRING);
		assertThat(transition(model, model.get(first.id())))
			.isEqualTo(new RotationPlan.Transition("retired", first.notAfter()));

		model.settle(first.notAfter().minusSeconds(1));
		assertThat(model.get(first.id()).status()).isEqualTo(Status.RETIRING);
		model.settle(first.notAfter());
		assertThat(model.get(first.id()).status()).isEqualTo(Status.RETIRED);
		assertThat(transition(model, model.get(first.id()))).isNull();
	}

	@Test
	void aRootRotationPublishesTheRootThenItsIntermediateThenRetiresTheOldRoot() {
		Model model = Model.created(START);
		Node oldRoot = model.single(Kind.ROOT, Status.ACTIVE);
		Instant prepare = oldRoot.notAfter().minus(INTERMEDIATE_TTL.multipliedBy(RotationPlan.ROOT_PREPARE_LIVES));
		assertThat(transition(model, oldRoot))
			.isEqualTo(new RotationPlan.Transition("prepares its successor", prepare));
		runUntil(model, prepare.minus(CHECK));
		assertThat(model.single(Kind.ROOT, Status.PREPARED)).isNull();
		runUntil(model, prepare);
		Node newRoot = model.single(Kind.ROOT, Status.PREPARED);
		assertThat(newRoot).isNotNull();
		assertThat(model.trustedRoots()).containsExactly(oldRoot.id(), newRoot.id());

		// intermediates keep coming from the old root until the new one was published
		// for the lead, then from the new one; the new root is active with the first
		Instant until = prepare;
		while (model.single(Kind.ROOT, Status.ACTIVE).id().equals(oldRoot.id())) {
			until = until.plus(CHECK);
			runUntil(model, until);
			Node prepared = model.single(Kind.INTERMEDIATE, Status.PREPARED);
			if (prepared != null && prepared.parentId().equals(newRoot.id())) {
				assertThat(Duration.between(newRoot.issuedAt(), model.preparedAt(prepared)))
					.isGreaterThanOrEqualTo(LEAD);
			}
		}
		assertThat(model.get(oldRoot.id()).status()).isEqualTo(Status.RETIRING);
		assertThat(model.single(Kind.INTERMEDIATE, Status.ACTIVE).parentId()).isEqualTo(newRoot.id());
		Instant lastChild = model.nodes.stream()
			.filter((node) -> oldRoot.id().equals(node.parentId()) && node.status() != Status.RETIRED)
			.map(Node::notAfter)
			.max(Instant::compareTo)
			.orElseThrow();
		assertThat(lastChild).as("nothing under the old root outlives it").isBeforeOrEqualTo(oldRoot.notAfter());
		assertThat(transition(model, model.get(oldRoot.id())))
			.isEqualTo(new RotationPlan.Transition("retired", lastChild));
		runUntil(model, lastChild);
		assertThat(model.get(oldRoot.id()).status()).isEqualTo(Status.RETIRED);
		assertThat(model.trustedRoots()).containsExactly(newRoot.id());
	}

	@Test
	void aServerStoppedInAnyStateForAnyTimeCatchesUpAtStart() {
		Random random = new Random(20261201);
		for (int run = 0; run < 100; run++) {
			Model model = Model.created(START);
			Instant now = START;
			// run normally to some point of the schedule, in any state...
			Instant stop = START.plus(Duration.ofHours(random.nextInt(24 * 365 * 12)));
			runUntil(model, stop, Duration.ofDays(1));
			now = stop;
			// ...then stay stopped for anything from an hour to two root lives
			Instant restart = now.plus(Duration.ofHours(1 + random.nextInt(24 * 365 * 20)));
			List<Step> steps = model.settle(restart);
			model.assertInvariants(restart);
			// settled: a second start finds nothing to do
			assertThat(RotationPlan.next(model.nodes, restart, INTERMEDIATE_TTL)).isEmpty();
			if (Duration.between(stop, restart).compareTo(INTERMEDIATE_TTL) > 0) {
				assertThat(steps).as("stopped %s at %s", Duration.between(stop, restart), stop).isNotEmpty();
			}
		}
	}

	@Test
	void aServerStoppedAgainAndAgainForSecondsToYearsKeepsEveryInvariant() {
		Random random = new Random(42);
		for (int run = 0; run < 50; run++) {
			Model model = Model.created(START);
			Instant now = START;
			for (int stop = 0; stop < 30; stop++) {
				// runs for a while (checks every day), then stops for minutes to years
				Instant until = now.plus(Duration.ofHours(random.nextInt(24 * 200)));
				runUntil(model, until, Duration.ofDays(1));
				now = until.plus(Duration
					.ofMinutes(1 + random.nextInt(random.nextBoolean() ? 60 * 24 * 30 : 60 * 24 * 365 * 4)));
				model.settle(now);
				model.assertInvariants(now);
				assertThat(RotationPlan.next(model.nodes, now, INTERMEDIATE_TTL)).isEmpty();
			}
		}
	}

	@Test
	void aStartAfterTheIntermediateExpiredActivatesANewOneAtOnceUnderTheSameRoot() {
		Model model = Model.created(START);
		Node first = model.single(Kind.INTERMEDIATE, Status.ACTIVE);
		Instant restart = first.notAfter().plusSeconds(1);
		List<Step> steps = model.settle(restart);
		assertThat(steps.get(0)).isInstanceOf(Step.CreateIntermediate.class);
		assertThat(((Step.CreateIntermediate) steps.get(0)).activate()).isTrue();
		assertThat(steps.get(0).reason()).contains("expired");
		assertThat(model.get(first.id()).status()).isEqualTo(Status.RETIRED);
		assertThat(model.single(Kind.INTERMEDIATE, Status.ACTIVE).parentId()).isEqualTo(first.parentId());
		model.assertInvariants(restart);
	}

	@Test
	void aStartAfterEveryRootExpiredMakesANewHierarchyAndSaysAgentsMustEnrollAgain() {
		Model model = Model.created(START);
		Instant restart = START.plus(ROOT_TTL).plusSeconds(1);
		List<Step> steps = model.settle(restart);
		assertThat(steps.get(0)).isInstanceOf(Step.CreateRoot.class);
		assertThat(steps.get(0).reason()).contains("enroll again");
		model.assertInvariants(restart);
		assertThat(model.trustedRoots()).hasSize(1).doesNotContain(model.nodes.get(0).id());
	}

	@Test
	void aStartPastTheHandOverWithoutASuccessorActivatesOneAtOnce() {
		Model model = Model.created(START);
		Node first = model.single(Kind.INTERMEDIATE, Status.ACTIVE);
		Instant restart = first.pointInLife(0.6);
		model.settle(restart);
		Node active = model.single(Kind.INTERMEDIATE, Status.ACTIVE);
		assertThat(active.id()).isNotEqualTo(first.id());
		assertThat(model.get(first.id()).status()).isEqualTo(Status.RETIRING);
		model.assertInvariants(restart);
	}

	@Test
	void settingsTheScheduleCannotHoldAreRefusedNamingTheSetting() {
		CaRotation.check(properties(ROOT_TTL, INTERMEDIATE_TTL, Duration.ofMinutes(1), Duration.ofDays(30)));
		assertThatIllegalStateException()
			.isThrownBy(() -> CaRotation
				.check(properties(ROOT_TTL, INTERMEDIATE_TTL, Duration.ofMinutes(1), Duration.ofDays(183))))
			.withMessageContaining("tether.issuance.max-ttl")
			.withMessageContaining("cut short");
		assertThatIllegalStateException()
			.isThrownBy(() -> CaRotation
				.check(properties(Duration.ofDays(1000), INTERMEDIATE_TTL, Duration.ofMinutes(1), Duration.ofDays(30))))
			.withMessageContaining("tether.ca.root-ttl")
			.withMessageContaining("at least PT26280H");
		assertThatIllegalStateException()
			.isThrownBy(() -> CaRotation
				.check(properties(ROOT_TTL, INTERMEDIATE_TTL, Duration.ofDays(31), Duration.ofDays(30))))
			.withMessageContaining("tether.ca.rotation-check-interval");
	}

	private static TetherProperties properties(Duration rootTtl, Duration intermediateTtl, Duration check,
			Duration maxTtl) {
		return new TetherProperties(Path.of("data"), "example.org", null, null,
				new TetherProperties.Ca(rootTtl, intermediateTtl, check, "kek",
						new TetherProperties.Pkcs11(null, null, null, null, null)),
				new TetherProperties.Issuance(maxTtl, Duration.ofMinutes(1), Duration.ofHours(1), List.of(), List.of(),
						Duration.ZERO, 256, 8192),
				new TetherProperties.Server(List.of(), Duration.ofDays(30), Duration.ofMinutes(1)),
				new TetherProperties.Admin(Duration.ofDays(90), Duration.ofHours(1), false),
				new TetherProperties.Agent(Duration.ofHours(24), Duration.ofDays(7)),
				new TetherProperties.Jobs(
						new TetherProperties.Jobs.JoinTokenPurge(Duration.ofHours(1), Duration.ofMinutes(50),
								Duration.ofDays(1)),
						new TetherProperties.Jobs.CertificateRetention(Duration.ofMinutes(10), Duration.ofDays(3),
								1000),
						new TetherProperties.Jobs.AuditRetention(Duration.ofHours(1), Duration.ofDays(365), 1000),
						new TetherProperties.Jobs.AuditSeal(Duration.ofSeconds(1), 1000, Duration.ofMinutes(1), 10000,
								Duration.ofMinutes(5))),
				new TetherProperties.Revocation(-1, null, Duration.ofDays(1), Duration.ofSeconds(10),
						Duration.ofMinutes(5), Duration.ofDays(1), Duration.ofSeconds(2), true, false, false),
				new TetherProperties.Metrics(Duration.ofSeconds(30)),
				new TetherProperties.JwtSvid(Duration.ofMinutes(5), Duration.ofDays(7), Duration.ofDays(1),
						Duration.ofMinutes(1)),
				TetherProperties.Throttle.defaults(),
				new TetherProperties.Operators(Duration.ofHours(1), Duration.ofHours(8)));
	}

	private static RotationPlan.Transition transition(Model model, Node node) {
		return RotationPlan.nextTransition(node, model.nodes, INTERMEDIATE_TTL).orElse(null);
	}

	/** Hourly checks from the model's last check to {@code until}. */
	private static void runUntil(Model model, Instant until) {
		runUntil(model, until, CHECK);
	}

	private static void runUntil(Model model, Instant until, Duration interval) {
		Instant now = model.lastCheck;
		while (now.isBefore(until)) {
			now = now.plus(interval);
			if (now.isAfter(until)) {
				now = until;
			}
			model.settle(now);
			model.assertInvariants(now);
		}
	}

	/**
	 * The authority table, with each step applied as {@link HierarchyAuthority} applies
	 * it.
	 */
	private static final class Model {

		final List<Node> nodes = new ArrayList<>();

		final java.util.Map<String, Instant> prepared = new java.util.HashMap<>();

		Instant lastCheck;

		private int ids;

		static Model created(Instant now) {
			Model model = new Model();
			Node root = model.add(Kind.ROOT, null, now, ROOT_TTL);
			model.replace(root, Status.ACTIVE);
			Node intermediate = model.add(Kind.INTERMEDIATE, root.id(), now, INTERMEDIATE_TTL);
			model.replace(intermediate, Status.ACTIVE);
			model.lastCheck = now;
			return model;
		}

		/** Takes every step due now, as a start or a scheduled check does. */
		List<Step> settle(Instant now) {
			this.lastCheck = now;
			List<Step> steps = new ArrayList<>();
			for (Optional<Step> step = RotationPlan.next(this.nodes, now, INTERMEDIATE_TTL); step
				.isPresent(); step = RotationPlan.next(this.nodes, now, INTERMEDIATE_TTL)) {
				assertThat(steps).as("settles in a few steps").hasSizeLessThan(8);
				steps.add(step.get());
				apply(step.get(), now);
			}
			return steps;
		}

		void apply(Step step, Instant now) {
			switch (step) {
				case Step.CreateRoot create -> {
					Node root = add(Kind.ROOT, null, now, ROOT_TTL);
					if (create.activate()) {
						for (Node old : List.copyOf(this.nodes)) {
							if (old.kind() == Kind.ROOT && old != root
									&& (old.status() == Status.ACTIVE || old.status() == Status.PREPARED)) {
								replace(old, old.expiredAt(now) ? Status.RETIRED : Status.RETIRING);
							}
						}
						replace(root, Status.ACTIVE);
					}
				}
				case Step.CreateIntermediate create -> {
					Node intermediate = add(Kind.INTERMEDIATE, create.parentId(), now, INTERMEDIATE_TTL);
					if (create.activate()) {
						activate(intermediate, now);
					}
				}
				case Step.Activate activate -> {
					assertThat(get(activate.id()).expiredAt(now)).as("never activates an expired intermediate")
						.isFalse();
					activate(get(activate.id()), now);
				}
				case Step.Retire retire -> replace(get(retire.id()), Status.RETIRED);
			}
		}

		private void activate(Node intermediate, Instant now) {
			Node root = get(intermediate.parentId());
			for (Node node : List.copyOf(this.nodes)) {
				if (node.status() == Status.ACTIVE && !node.id().equals(intermediate.id())
						&& !node.id().equals(root.id())) {
					replace(node, node.expiredAt(now) ? Status.RETIRED : Status.RETIRING);
				}
			}
			replace(get(root.id()), Status.ACTIVE);
			replace(get(intermediate.id()), Status.ACTIVE);
		}

		private Node add(Kind kind, String parentId, Instant now, Duration ttl) {
			int generation = (int) this.nodes.stream().filter((node) -> node.kind() == kind).count() + 1;
			Instant notAfter = now.plus(ttl);
			if (parentId != null && notAfter.isAfter(get(parentId).notAfter())) {
				// as the signer does: never beyond the issuer
				notAfter = get(parentId).notAfter();
			}
			Node node = new Node("a" + (++this.ids), kind, generation, parentId, Status.PREPARED, now, notAfter);
			this.nodes.add(node);
			this.prepared.put(node.id(), now);
			return node;
		}

		private void replace(Node node, Status status) {
			this.nodes.set(this.nodes.indexOf(get(node.id())), new Node(node.id(), node.kind(), node.generation(),
					node.parentId(), status, node.issuedAt(), node.notAfter()));
		}

		Node get(String id) {
			return this.nodes.stream().filter((node) -> node.id().equals(id)).findFirst().orElseThrow();
		}

		Node single(Kind kind, Status status) {
			List<Node> found = this.nodes.stream()
				.filter((node) -> node.kind() == kind && node.status() == status)
				.toList();
			assertThat(found).as("at most one %s %s", status, kind).hasSizeLessThanOrEqualTo(1);
			return found.isEmpty() ? null : found.get(0);
		}

		Instant preparedAt(Node node) {
			return this.prepared.get(node.id());
		}

		List<String> trustedRoots() {
			return this.nodes.stream()
				.filter((node) -> node.kind() == Kind.ROOT && (node.status() == Status.ACTIVE
						|| node.status() == Status.PREPARED || node.status() == Status.RETIRING))
				.map(Node::id)
				.toList();
		}

		void assertInvariants(Instant now) {
			Node active = single(Kind.INTERMEDIATE, Status.ACTIVE);
			Node root = single(Kind.ROOT, Status.ACTIVE);
			single(Kind.INTERMEDIATE, Status.PREPARED);
			single(Kind.ROOT, Status.PREPARED);
			assertThat(active).as("an intermediate signs at %s", now).isNotNull();
			assertThat(active.parentId()).as("under the active root").isEqualTo(root.id());
			assertThat(now.plus(LONGEST_LEAF))
				.as("the longest leaf signed at %s fits in the active intermediate (generation %s)", now,
						active.generation())
				.isBeforeOrEqualTo(active.notAfter());
			for (Node node : this.nodes) {
				if (node.status() == Status.RETIRING) {
					assertThat(node.expiredAt(now)).as("retiring %s %s not yet expired", node.kind(), node.generation())
						.isFalse();
				}
				if (node.kind() == Kind.INTERMEDIATE && node.status() == Status.PREPARED) {
					assertThat(get(node.parentId()).status()).as("a prepared intermediate is under a usable root")
						.isIn(Status.ACTIVE, Status.PREPARED);
				}
				if (node.kind() == Kind.INTERMEDIATE && node.status() != Status.RETIRED) {
					assertThat(node.notAfter()).as("intermediate within its root's life")
						.isBeforeOrEqualTo(get(node.parentId()).notAfter());
				}
			}
			assertThat(trustedRoots()).hasSizeBetween(1, 2);
		}

	}

}
