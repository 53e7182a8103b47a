package io.tether.server.authority;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.tether.pki.CertificateSigner;
import io.tether.server.authority.AuthorityEntity.Kind;
import io.tether.server.authority.AuthorityEntity.Status;

/**
 * The rotation state machine of the CA hierarchy, as a pure function of the authorities
 * and the time: given what is in the database now, the one step to take next, if any. The
 * caller applies a step in one transaction and asks again, so a crash between steps
 * leaves a state this plan continues from, and a restart is just another call.
 * <p>
 * An intermediate of life {@code L} prepares its successor at a third of its life (the
 * successor is published in the bundles from then on), hands over to it at half its life,
 * and retires at its expiry, once every leaf it signed has expired. Leaves live at most
 * the half of {@code L} left at hand-over (checked at start), so none is cut short. A
 * root prepares its successor when two intermediate lives are left; the first
 * intermediate prepared at least a publication lead ({@code L/6}) later is signed by the
 * new root, which becomes active with it; the old root retires when nothing chains to it.
 */
final class RotationPlan {

	/** Where in its life an active intermediate has its successor prepared. */
	static final double PREPARE_POINT = 1.0 / 3;

	/** Where in its life an active intermediate hands over to its successor. */
	static final double ACTIVATION_POINT = 0.5;

	/**
	 * How many intermediate lives before its expiry a root has its successor prepared.
	 */
	static final int ROOT_PREPARE_LIVES = 2;

	private RotationPlan() {
	}

	/**
	 * What the plan needs to know of an authority.
	 *
	 * @param id its id
	 * @param kind root or intermediate
	 * @param generation its generation within its kind
	 * @param parentId the root that signed it (intermediates)
	 * @param status its state
	 * @param issuedAt when it was signed (not the backdated {@code notBefore})
	 * @param notAfter its expiry
	 */
	record Node(String id, Kind kind, int generation, String parentId, Status status, Instant issuedAt,
			Instant notAfter) {

		Instant pointInLife(double fraction) {
			return CertificateSigner.pointInLife(this.issuedAt, this.notAfter, fraction);
		}

		boolean expiredAt(Instant now) {
			return !now.isBefore(this.notAfter);
		}

	}

	/** One transition; applied in one transaction. */
	sealed interface Step {

		/** Why, for the log and the audit. */
		String reason();

		/**
		 * Makes a new root, prepared, or active at once when no root can sign any more.
		 *
		 * @param activate active at once (recovery only)
		 * @param reason why
		 */
		record CreateRoot(boolean activate, String reason) implements Step {
		}

		/**
		 * Makes a new intermediate under a root, prepared, or active at once when none
		 * can sign (the server was stopped past the point where one should have been
		 * ready).
		 *
		 * @param parentId the root that signs it
		 * @param activate active at once
		 * @param reason why
		 */
		record CreateIntermediate(String parentId, boolean activate, String reason) implements Step {
		}

		/**
		 * A prepared intermediate becomes active; the active one retires, and when the
		 * new one's root was prepared, that root becomes active and the old one retires.
		 *
		 * @param id the prepared intermediate
		 * @param reason why
		 */
		record Activate(String id, String reason) implements Step {
		}

		/**
		 * An authority is retired: nothing it signed is valid any more, or it was never
		 * used.
		 *
		 * @param id the authority
		 * @param reason why
		 */
		record Retire(String id, String reason) implements Step {
		}

	}

	/**
	 * The next step of the automatic rotation.
	 * @param nodes every authority in the database
	 * @param now the time
	 * @param intermediateTtl the lifetime new intermediates get
	 * @return the step to take, or empty when the hierarchy is as it should be
	 */
	static Optional<Step> next(List<Node> nodes, Instant now, Duration intermediateTtl) {
		Hierarchy hierarchy = new Hierarchy(nodes, now, intermediateTtl);
		Node activeRoot = hierarchy.single(Kind.ROOT, Status.ACTIVE);
		Node preparedRoot = hierarchy.single(Kind.ROOT, Status.PREPARED);
		Node active = hierarchy.single(Kind.INTERMEDIATE, Status.ACTIVE);
		Node prepared = hierarchy.single(Kind.INTERMEDIATE, Status.PREPARED);

		// a prepared intermediate that can no longer serve (the server was stopped past
		// the point where it should have taken over, or its root was replaced) is
		// retired unused; a fresh one replaces it
		if (prepared != null && !hierarchy.canServe(prepared)) {
			return Optional.of(new Step.Retire(prepared.id(), "prepared, but it can no longer serve half its life "
					+ "under a trusted root (the server was stopped past its hand-over); never used"));
		}

		// recovery: nothing can sign (stopped past an expiry)
		if (active == null || active.expiredAt(now) || hierarchy.parentExpired(active)) {
			String why = (active == null) ? "no intermediate is active"
					: "the active intermediate (generation " + active.generation() + ") expired or lost its root";
			if (prepared != null) {
				return Optional.of(new Step.Activate(prepared.id(), why + "; the prepared one takes over now"));
			}
			String parent = hierarchy.rootFor(activeRoot, preparedRoot, true);
			if (parent == null) {
				return Optional.of(new Step.CreateRoot(true, why + " and no root can sign an intermediate's whole "
						+ "life; a new root is active at once (agents must enroll again)"));
			}
			return Optional.of(new Step.CreateIntermediate(parent, true, why + "; a new one is active at once"));
		}

		// the next root, ahead of need
		if (preparedRoot == null && activeRoot != null
				&& !now.isBefore(activeRoot.notAfter().minus(intermediateTtl.multipliedBy(ROOT_PREPARE_LIVES)))) {
			return Optional.of(new Step.CreateRoot(false, "the active root (generation " + activeRoot.generation()
					+ ") has less than " + ROOT_PREPARE_LIVES + " intermediate lives left"));
		}

		// the next intermediate, published before it signs
		if (prepared == null && !now.isBefore(active.pointInLife(PREPARE_POINT))) {
			String parent = hierarchy.rootFor(activeRoot, preparedRoot, false);
			if (parent != null) {
				return Optional.of(new Step.CreateIntermediate(parent, false,
						"the active intermediate (generation " + active.generation() + ") passed a third of its life"));
			}
		}

		// hand-over at half life
		if (!now.isBefore(active.pointInLife(ACTIVATION_POINT))) {
			if (prepared != null) {
				return Optional.of(new Step.Activate(prepared.id(),
						"the active intermediate (generation " + active.generation() + ") passed half its life"));
			}
			String parent = hierarchy.rootFor(activeRoot, preparedRoot, true);
			if (parent != null) {
				return Optional.of(new Step.CreateIntermediate(parent, true, "the active intermediate (generation "
						+ active.generation() + ") passed half its life with no successor prepared"));
			}
		}

		// retirement
		for (Node node : nodes) {
			if (node.kind() == Kind.INTERMEDIATE && node.status() == Status.RETIRING && node.expiredAt(now)) {
				return Optional.of(new Step.Retire(node.id(), "it expired, and with it every leaf it signed"));
			}
			if (node.kind() == Kind.ROOT && node.status() == Status.RETIRING
					&& (node.expiredAt(now) || !hierarchy.hasLiveChildren(node))) {
				return Optional.of(new Step.Retire(node.id(), "no intermediate that is still valid chains to it"));
			}
		}
		return Optional.empty();
	}

	/**
	 * The root a new intermediate prepared now goes under, as the automatic rotation
	 * chooses it (for a rotation an operator asks for).
	 * @param nodes every authority
	 * @param now the time
	 * @param intermediateTtl the lifetime new intermediates get
	 * @return the root's id, or empty when no root can sign an intermediate's whole life
	 */
	static Optional<String> rootForNext(List<Node> nodes, Instant now, Duration intermediateTtl) {
		Hierarchy hierarchy = new Hierarchy(nodes, now, intermediateTtl);
		return Optional.ofNullable(hierarchy.rootFor(hierarchy.single(Kind.ROOT, Status.ACTIVE),
				hierarchy.single(Kind.ROOT, Status.PREPARED), false));
	}

	/**
	 * When an authority changes state next by itself, and to what, for operators.
	 *
	 * @param state the state it moves to, or an action it takes
	 * @param at when; {@code null} when it depends on another authority's transition
	 */
	record Transition(String state, Instant at) {
	}

	static Optional<Transition> nextTransition(Node node, List<Node> nodes, Duration intermediateTtl) {
		Hierarchy hierarchy = new Hierarchy(nodes, null, intermediateTtl);
		Node active = hierarchy.single(Kind.INTERMEDIATE, Status.ACTIVE);
		Node prepared = hierarchy.single(Kind.INTERMEDIATE, Status.PREPARED);
		Node preparedRoot = hierarchy.single(Kind.ROOT, Status.PREPARED);
		Instant handOver = (active != null) ? active.pointInLife(ACTIVATION_POINT) : null;
		return Optional.ofNullable(switch (node.status()) {
			case PREPARED ->
				(node.kind() == Kind.INTERMEDIATE) ? new Transition("active", handOver) : new Transition("active",
						(prepared != null && node.id().equals(prepared.parentId())) ? handOver : null);
			case ACTIVE -> {
				if (node.kind() == Kind.INTERMEDIATE) {
					yield (prepared == null) ? new Transition("prepares its successor", node.pointInLife(PREPARE_POINT))
							: new Transition("retiring", node.pointInLife(ACTIVATION_POINT));
				}
				if (preparedRoot == null) {
					yield new Transition("prepares its successor",
							node.notAfter().minus(intermediateTtl.multipliedBy(ROOT_PREPARE_LIVES)));
				}
				yield new Transition("retiring",
						(prepared != null && preparedRoot.id().equals(prepared.parentId())) ? handOver : null);
			}
			case RETIRING -> new Transition("retired",
					(node.kind() == Kind.INTERMEDIATE) ? node.notAfter() : hierarchy.lastChildExpiry(node));
			case RETIRED, REVOKED -> null;
		});
	}

	/**
	 * The authorities, with the questions the plan asks of them.
	 */
	private record Hierarchy(List<Node> nodes, Instant now, Duration intermediateTtl) {

		Node single(Kind kind, Status status) {
			return this.nodes.stream()
				.filter((node) -> node.kind() == kind && node.status() == status)
				.max(Comparator.comparingInt(Node::generation))
				.orElse(null);
		}

		/**
		 * Whether a prepared intermediate can still take over: before its own hand-over
		 * point (leaves signed from now fit in its life), under a root that is active or
		 * prepared and not expired.
		 */
		boolean canServe(Node intermediate) {
			return this.now.isBefore(intermediate.pointInLife(ACTIVATION_POINT)) && this.nodes.stream()
				.filter((node) -> node.id().equals(intermediate.parentId()))
				.anyMatch((root) -> !root.expiredAt(this.now)
						&& (root.status() == Status.ACTIVE || root.status() == Status.PREPARED));
		}

		boolean parentExpired(Node intermediate) {
			return this.nodes.stream()
				.filter((node) -> node.id().equals(intermediate.parentId()))
				.findFirst()
				.map((root) -> root.expiredAt(this.now) || root.status() == Status.RETIRED)
				.orElse(true);
		}

		/**
		 * The root a new intermediate goes under: the prepared root once it has been
		 * published for the lead, else the active root while it can outlive a whole
		 * intermediate; with {@code urgent}, the prepared root even before its lead.
		 */
		String rootFor(Node activeRoot, Node preparedRoot, boolean urgent) {
			Duration lead = publicationLead(this.intermediateTtl);
			boolean preparedFits = preparedRoot != null && fits(preparedRoot);
			if (preparedFits && !this.now.isBefore(preparedRoot.issuedAt().plus(lead))) {
				return preparedRoot.id();
			}
			if (activeRoot != null && fits(activeRoot)) {
				return activeRoot.id();
			}
			return (preparedFits && urgent) ? preparedRoot.id() : null;
		}

		private boolean fits(Node root) {
			return !this.now.plus(this.intermediateTtl).isAfter(root.notAfter());
		}

		boolean hasLiveChildren(Node root) {
			return this.nodes.stream()
				.anyMatch((node) -> root.id().equals(node.parentId()) && (node.status() == Status.ACTIVE
						|| node.status() == Status.PREPARED || node.status() == Status.RETIRING));
		}

		Instant lastChildExpiry(Node root) {
			return this.nodes.stream()
				.filter((node) -> root.id().equals(node.parentId()) && node.status() != Status.RETIRED
						&& node.status() != Status.REVOKED)
				.map(Node::notAfter)
				.max(Comparator.naturalOrder())
				.orElse(root.notAfter());
		}

	}

	/**
	 * How long a new authority is published before anything chains to it: the time
	 * between an intermediate's preparation and its hand-over, a sixth of its life.
	 * @param intermediateTtl the intermediates' lifetime
	 * @return the lead
	 */
	static Duration publicationLead(Duration intermediateTtl) {
		return Duration.ofMillis((long) (intermediateTtl.toMillis() * (ACTIVATION_POINT - PREPARE_POINT)));
	}

}
