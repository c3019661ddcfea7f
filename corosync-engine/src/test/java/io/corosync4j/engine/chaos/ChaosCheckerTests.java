package io.corosync4j.engine.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.corosync4j.engine.chaos.ChaosChecker.Kind;
import io.corosync4j.engine.chaos.ChaosChecker.Report;
import io.corosync4j.engine.chaos.ChaosChecker.Violation;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chaos checker on small hand-written logs: for every rule a log that keeps it and one that breaks
 * it, and the cases its matching of configuration changes must get right (the same change seen after
 * a merge from two sides, the same lists seen twice).
 */
class ChaosCheckerTests {

	/** Two processes, 1/10 (corosync4j) and 2/20 (Corosync), in one group, each sending and delivering. */
	private static final String A = """
			I corosync4j 1 10 0
			C 100 1/10 - 1/10/1
			C 200 1/10,2/20 - 2/20/1
			D 1 10 1 100
			D 2 20 1 40000
			D 1 10 2 16
			D 2 20 2 300
			Q 300 2
			E 400 2
			""";

	private static final String B = """
			I corosync 2 20 0
			C 200 1/10,2/20 - 2/20/1
			D 1 10 1 100
			D 2 20 1 40000
			D 1 10 2 16
			D 2 20 2 300
			Q 300 2
			E 400 2
			""";

	@Test
	void cleanLogsKeepEveryRule() {
		Report report = check(Set.of(1L, 2L), A, B);
		assertThat(report.violations()).isEmpty();
		assertThat(report.deliveries()).isEqualTo(8);
		assertThat(report.changes()).isEqualTo(3);
	}

	@Test
	void orderDiffersBetweenTwoProcesses() {
		String b = B.replace("D 1 10 1 100\nD 2 20 1 40000", "D 2 20 1 40000\nD 1 10 1 100");
		Violation order = only(check(Set.of(1L, 2L), A, b), Kind.ORDER);
		assertThat(order.text()).contains("ordered 1 of their 4 common messages differently").contains("1/10#1");
	}

	@Test
	void duplicateDelivery() {
		String a = A.replace("D 1 10 2 16\n", "D 1 10 2 16\nD 1 10 2 16\n");
		Report report = check(Set.of(1L, 2L), a, B);
		assertThat(kinds(report)).contains(Kind.DUPLICATE);
		assertThat(of(report, Kind.DUPLICATE).differingImpls()).containsExactly("corosync4j");
		assertThat(kinds(check(Set.of(1L, 2L), A, B))).doesNotContain(Kind.DUPLICATE);
	}

	@Test
	void perSenderFifo() {
		String a = A.replace("D 1 10 1 100\nD 2 20 1 40000\nD 1 10 2 16", "D 1 10 2 16\nD 2 20 1 40000\nD 1 10 1 100");
		Report report = check(Set.of(1L, 2L), a, B);
		assertThat(of(report, Kind.FIFO).text()).contains("1/10 (corosync4j").contains("#1 at delivery 2");
	}

	@Test
	void aSenderSkippedWithinAViewItStayedIn() {
		String a = A.replace("D 1 10 1 100\n", "D 1 10 1 100\nD 1 10 2 16\nD 1 10 4 16\n")
			.replace("D 1 10 2 16\nD 2 20 2 300", "D 2 20 2 300");
		String b = B.replace("D 1 10 2 16\nD 2 20 2 300", "D 1 10 2 16\nD 1 10 3 16\nD 1 10 4 16\nD 2 20 2 300");
		Report report = check(Set.of(), a, b);
		assertThat(of(report, Kind.GAP).text()).contains("1 processes skipped 1 messages of 1/10 (#3)");
		// 1/10 skipped its own #3 and 2/20 did not: the one that skipped differs
		assertThat(of(report, Kind.GAP).differing()).containsExactly("1/10 (corosync4j, a)");
		// 2/20 skips a message of 1/10 that 1/10 delivered: 2/20 differs
		Report other = check(Set.of(), A.replace("D 1 10 2 16\n", "D 1 10 2 16\nD 1 10 3 16\nD 1 10 4 16\n"), b.replace(
				"D 1 10 3 16\n", ""));
		assertThat(of(other, Kind.GAP).differingImpls()).containsExactly("corosync");
		assertThat(of(other, Kind.GAP).text()).doesNotContain("lost for everyone");
	}

	@Test
	void messagesLostForEveryoneAreTheSendersDoing() {
		// a Corosync receiver and the corosync4j sender both skip the sender's #2
		String a = A.replace("D 1 10 2 16\n", "D 1 10 3 16\n").replace("Q 300 2\nE 400 2", "Q 300 3\nE 400 3");
		String b = B.replace("D 1 10 2 16\n", "D 1 10 3 16\n");
		Report report = check(Set.of(), a, b);
		Violation gap = of(report, Kind.GAP);
		assertThat(gap.text()).contains("2 processes skipped 1 messages of 1/10 (#2)").contains("lost for everyone");
		assertThat(gap.differingImpls()).containsExactly("corosync4j");
		assertThat(kinds(report)).containsExactlyInAnyOrder(Kind.GAP, Kind.SELF);
	}

	@Test
	void aSenderMayBeSkippedAcrossViewsItLeft() {
		// 2/20 is cut off while 1/10 sends #2 and #3; it hears #4 after the merge: no gap, it was not in that view
		String a = """
				I corosync4j 1 10 0
				C 100 1/10,2/20 - 1/10/1
				D 1 10 1 100
				C 200 1/10 2/20/3 -
				D 1 10 2 100
				D 1 10 3 100
				C 300 1/10,2/20 - 2/20/4
				D 1 10 4 100
				""";
		String b = """
				I corosync 2 20 0
				C 100 1/10,2/20 - 1/10/1
				D 1 10 1 100
				C 200 2/20 1/10/3 -
				C 300 1/10,2/20 - 1/10/4
				D 1 10 4 100
				""";
		assertThat(check(Set.of(), a, b).violations()).isEmpty();
	}

	/** Three processes; 3/30 leaves; 1/10 and 2/20 move on together and must have delivered the same. */
	private static String trio(long node, long pid, String impl, String inFirstView) {
		return "I " + impl + " " + node + " " + pid + " 0\n" + "C 100 1/10,2/20,3/30 - 3/30/1\n" + inFirstView
				+ "C 200 1/10,2/20 3/30/3 -\nD 1 10 9 100\n";
	}

	@Test
	void processesMovingTogetherDeliveredTheSameMessages() {
		String same = "D 3 30 1 100\nD 3 30 2 100\n";
		Report clean = check(Set.of(), trio(1, 10, "corosync4j", same), trio(2, 20, "corosync", same));
		assertThat(clean.violations()).isEmpty();
		assertThat(clean.transitionsCompared()).isEqualTo(1);
		Report broken = check(Set.of(), trio(1, 10, "corosync4j", same), trio(2, 20, "corosync", "D 3 30 1 100\n"),
				trio(3, 30, "corosync", same).replace("C 200 1/10,2/20 3/30/3 -\nD 1 10 9 100\n", ""));
		Violation violation = only(broken, Kind.SYNCHRONY);
		assertThat(violation.text()).contains("2 processes moved together").contains("missing 1 (1 of 3/30 #2)");
		// two against none: no majority, both differ
		assertThat(violation.differingImpls()).containsExactlyInAnyOrder("corosync4j", "corosync");
	}

	@Test
	void theMinorityIsTheOneThatDiffers() {
		String same = "D 3 30 1 100\nD 3 30 2 100\n";
		String quad = "C 100 1/10,2/20,3/30,4/40 - 3/30/1\n";
		String leave = "C 200 1/10,2/20,4/40 3/30/3 -\n";
		String c4j = "I corosync4j 1 10 0\n" + quad + same + leave;
		String first = "I corosync 2 20 0\n" + quad + same + leave;
		String second = "I corosync 4 40 0\n" + quad + "D 3 30 1 100\n" + leave;
		Violation violation = only(check(Set.of(), c4j, first, second), Kind.SYNCHRONY);
		assertThat(violation.differingImpls()).containsExactly("corosync");
		assertThat(violation.differing()).containsExactly("4/40 (corosync, c)");
		assertThat(violation.text()).contains("(majority)");
		// the differing message is 3/30's, a Corosync process's
		Report withSender = check(Set.of(), c4j, first, second, "I corosync 3 30 0\n" + quad + same);
		assertThat(only(withSender, Kind.SYNCHRONY).senderImpls()).containsExactly("corosync");
		assertThat(withSender.messagesOf("corosync")).isOne();
		assertThat(withSender.messagesOf("corosync4j")).isZero();
	}

	@Test
	void corosync4jProcessesThatDisagreeWithAgreeingCorosyncProcessesAreNamed() {
		String same = "D 3 30 1 100\nD 3 30 2 100\n";
		String quad = "C 100 1/10,2/20,3/30,4/40 - 3/30/1\n";
		String leave = "C 200 1/10,2/20,4/40 3/30/3 -\n";
		// two corosync4j processes deliver #2, the Corosync one does not: the majority is corosync4j's
		Report report = check(Set.of(), "I corosync4j 1 10 0\n" + quad + same + leave,
				"I corosync4j 2 20 0\n" + quad + same + leave, "I corosync 4 40 0\n" + quad + "D 3 30 1 100\n" + leave);
		Violation violation = only(report, Kind.SYNCHRONY);
		assertThat(violation.differingImpls()).containsExactly("corosync");
		assertThat(violation.againstCorosync()).containsExactly("1/10 (corosync4j, a)", "2/20 (corosync4j, b)");
		assertThat(report.againstCorosync()).isEqualTo(1);
		// Corosync processes that disagree among themselves set no reference
		Report theirs = check(Set.of(), "I corosync4j 1 10 0\n" + quad + same + leave,
				"I corosync 2 20 0\n" + quad + same + leave, "I corosync 4 40 0\n" + quad + "D 3 30 1 100\n" + leave);
		assertThat(only(theirs, Kind.SYNCHRONY).againstCorosync()).isEmpty();
	}

	@Test
	void whoFreedMessagesBeforeEveryMemberHadThemIsTheOneThatDiffers() {
		String quad = "C 100 1/10,2/20,3/30,4/40 - 3/30/1\n";
		String leave = "C 200 1/10,2/20,4/40 3/30/3 -\n";
		String all = "D 3 30 1 100\nD 3 30 2 100\nD 3 30 3 100\n";
		// the corosync4j process misses #3 that the Corosync one delivered
		String c4j = "I corosync4j 1 10 0\n" + quad + "D 3 30 1 100\nD 3 30 2 100\n" + leave;
		String daemon = "I corosync 4 40 0\n" + quad + all + leave;
		Violation blamed = only(check(Set.of(), c4j, daemon), Kind.SYNCHRONY);
		assertThat(blamed.differingImpls()).contains("corosync4j");
		// node 4 re-sent 2 of the 3 messages it had received when the ring re-formed: it had freed one. Its
		// predecessor in the ring is node 3, a Corosync daemon
		String second = "I corosync 2 20 0\n" + quad + all + leave;
		String third = "I corosync 3 30 0\n" + quad + all;
		RecoveryTrace.EarlyFree free = new RecoveryTrace.EarlyFree(4, 150, 0xc7, 0xc9, 0xc9, 2);
		assertThat(free.freed()).isOne();
		Violation violation = of(checkWith(List.of(free), c4j, second, third, daemon), Kind.SYNCHRONY);
		assertThat(violation.differing()).containsExactly("4/40 (corosync, d)");
		assertThat(violation.againstCorosync()).isEmpty();
		assertThat(violation.text()).contains("nobody could re-send what they miss (Corosync after Corosync in the ring): "
				+ "[node 4 re-sent 2 of messages c7-c9");
		// after a corosync4j node the corosync4j side stays named
		String c4jThird = "I corosync4j 3 30 0\n" + quad + all;
		Violation after = of(checkWith(List.of(free), c4j, second, c4jThird, daemon), Kind.SYNCHRONY);
		assertThat(after.differingImpls()).contains("corosync4j");
		assertThat(after.text()).contains("messages were freed early: [node 4 re-sent 2");
		// not when the node is not in that configuration, nor long before it, nor when the sets are not nested
		RecoveryTrace.EarlyFree elsewhere = new RecoveryTrace.EarlyFree(5, 150, 0xc7, 0xc9, 0xc9, 2);
		RecoveryTrace.EarlyFree before = new RecoveryTrace.EarlyFree(4, -5000, 0xc7, 0xc9, 0xc9, 2);
		assertThat(of(checkWith(List.of(elsewhere, before), c4j, second, third, daemon), Kind.SYNCHRONY).differingImpls())
			.contains("corosync4j");
		String crossed = "I corosync 4 40 0\n" + quad + "D 3 30 1 100\nD 5 50 1 100\n" + leave;
		assertThat(of(checkWith(List.of(free), c4j, second, third, crossed), Kind.SYNCHRONY).differingImpls()).contains("corosync4j");
	}

	@Test
	void theSameListsTwiceAreMatchedByTheMessagesAroundThem() {
		// 3/30 is partitioned away twice: the change "3/30 left" has the same lists both times
		String away = "C %d 1/10,2/20 3/30/3 -\n";
		String back = "C %d 1/10,2/20,3/30 - 3/30/4\n";
		String start = "C 100 1/10,2/20,3/30 - 3/30/1\n";
		StringBuilder a = new StringBuilder("I corosync4j 1 10 0\n" + start + "D 1 10 1 10\n");
		StringBuilder b = new StringBuilder("I corosync 2 20 0\n" + start + "D 1 10 1 10\n");
		a.append(away.formatted(200)).append("D 1 10 2 10\n").append(back.formatted(300)).append("D 1 10 3 10\n")
			.append(away.formatted(400)).append("D 1 10 4 10\n").append(back.formatted(500)).append("D 1 10 5 10\n");
		b.append(away.formatted(200)).append("D 1 10 2 10\n").append(back.formatted(300)).append("D 1 10 3 10\n")
			.append(away.formatted(400)).append("D 1 10 4 10\n").append(back.formatted(500)).append("D 1 10 5 10\n");
		Report clean = check(Set.of(), a.toString(), b.toString());
		assertThat(clean.violations()).isEmpty();
		assertThat(clean.transitionsCompared()).isEqualTo(4);
		// the second time, 2/20 misses #4: one violation, about the second time only
		Report broken = check(Set.of(), a.toString(), b.toString().replace("D 1 10 4 10\n", ""));
		assertThat(broken.violations()).extracting(Violation::kind).containsExactly(Kind.SYNCHRONY);
		assertThat(broken.violations().get(0).text()).contains("at 00:00:00.400").contains("1 of 1/10 #4");
	}

	@Test
	void aMergeSeenFromBothSidesIsOneConfiguration() {
		// 1/10 and 2/20 were apart, merge (each sees the other join), then 3/30 joins both
		String a = """
				I corosync4j 1 10 0
				C 100 1/10 - 1/10/1
				C 200 1/10,2/20 - 2/20/4
				D 1 10 1 10
				C 300 1/10,2/20,3/30 - 3/30/1
				D 1 10 2 10
				""";
		String b = """
				I corosync 2 20 0
				C 100 2/20 - 2/20/1
				C 200 1/10,2/20 - 1/10/4
				D 1 10 1 10
				C 300 1/10,2/20,3/30 - 3/30/1
				D 1 10 2 10
				""";
		Report report = check(Set.of(), a, b);
		assertThat(report.violations()).isEmpty();
		assertThat(report.transitionsCompared()).isEqualTo(1);
	}

	@Test
	void aProcessThatMovedWithAnotherSawTheSameChange() {
		String a = """
				I corosync4j 1 10 0
				C 100 1/10,2/20 - 1/10/1
				C 200 1/10,2/20,3/30 - 3/30/1
				D 1 10 1 10
				E 9000 1
				""";
		String b = """
				I corosync 2 20 0
				C 100 1/10,2/20 - 1/10/1
				C 200 1/10,2/20,3/30 - 3/30/4
				D 1 10 1 10
				E 9000 0
				""";
		Violation views = only(check(Set.of(), a, b), Kind.VIEWS);
		assertThat(views.text()).contains("1/10 (corosync4j, a) moved from view 0").contains("which never saw that change");
		// the same with the same reason: nothing to report
		assertThat(check(Set.of(), a, b.replace("3/30/4", "3/30/1")).violations()).isEmpty();
		// a process killed right then (its log ends) is not held to it
		assertThat(check(Set.of(), a, b.replace("E 9000 0\n", "")).violations()).isEmpty();
	}

	@Test
	void whoHidesASeparationIsTheOneThatDiffers() {
		// 2/20 and 3/30 report that they parted and met again; 1/10 has 3/30 stay with it throughout
		String a = """
				I corosync 1 10 0
				C 100 1/10,2/20,3/30 - 1/10/1,2/20/1,3/30/1
				C 5000 1/10,2/20,3/30,4/40 - 4/40/1
				E 30000 0
				""";
		String b = """
				I corosync4j 2 20 0
				C 100 1/10,2/20,3/30 - 1/10/1,2/20/1,3/30/1
				C 5000 1/10,2/20 3/30/3 -
				C 5000 1/10,2/20,3/30,4/40 - 3/30/4,4/40/1
				E 30000 0
				""";
		String c = """
				I corosync4j 3 30 0
				C 100 1/10,2/20,3/30 - 1/10/1,2/20/1,3/30/1
				C 5000 3/30 1/10/3,2/20/3 -
				C 5000 1/10,2/20,3/30,4/40 - 1/10/4,2/20/4,4/40/1
				E 30000 0
				""";
		List<Violation> views = check(Set.of(), a, b, c).violations().stream().filter((v) -> v.kind() == Kind.VIEWS).toList();
		assertThat(views).isNotEmpty().allSatisfy((violation) -> {
			assertThat(violation.differing()).containsExactly("1/10 (corosync, a)");
			assertThat(violation.differingImpls()).containsExactly("corosync");
		});
		assertThat(views).anyMatch((violation) -> violation.text().contains("a) has [3/30] move on with it, whom 2/20 (corosync4j, b) reported gone"));
	}

	@Test
	void whoHidesASeparationAfterAJoinIsJudgedFromTheConfigurationBothHad() {
		// 3/30 joins 4/40 and 5/50 after the last message all delivered; then the two corosync4j processes report
		// that 3/30 and they parted and met again, while 4/40 has 3/30 stay: 4/40 hides it, although over the
		// whole stretch (from before the join) each has only 4/40 and 5/50 move on with it
		String a = """
				I corosync 4 40 0
				C 50 4/40,5/50 - 4/40/1,5/50/1
				D 5 50 1 10
				C 100 3/30,4/40,5/50 - 3/30/4
				T 100 3.d2a 3,4,5
				C 5300 2/20,3/30,4/40,5/50 - 2/20/4
				T 5300 2.d4e 2,3,4,5
				D 5 50 2 10
				E 30000 0
				""";
		String b = """
				I corosync4j 5 50 0
				C 50 4/40,5/50 - 4/40/1,5/50/1
				D 5 50 1 10
				C 100 3/30,4/40,5/50 - 3/30/4
				T 100 3.d2a 3,4,5
				C 5400 4/40,5/50 3/30/3 -
				C 5400 2/20,3/30,4/40,5/50 - 3/30/4,2/20/4
				T 5400 2.d4e 2,3,4,5
				D 5 50 2 10
				E 30000 0
				""";
		String c = """
				I corosync4j 3 30 0
				C 100 3/30,4/40,5/50 - 5/50/4,4/40/4
				T 100 3.d2a 3,4,5
				C 5430 3/30 4/40/3,5/50/3 -
				C 5440 2/20,3/30,4/40,5/50 - 2/20/4,5/50/4,4/40/4
				T 5440 2.d4e 2,3,4,5
				D 5 50 2 10
				E 30000 0
				""";
		List<Violation> views = check(Set.of(), a, b, c).violations().stream().filter((v) -> v.kind() == Kind.VIEWS).toList();
		assertThat(views).isNotEmpty().allSatisfy((violation) -> assertThat(violation.differing()).containsExactly("4/40 (corosync, a)"));
		assertThat(views).anyMatch((violation) -> violation.text().contains("a) has [3/30] move on with it, whom 5/50 (corosync4j, b) reported gone"));
	}

	@Test
	void aChangeBothMadeAfterTheOneTheyDifferOnDoesNotHideWhoDiffers() {
		// with no message between: 4/40 reports 2/20 gone and back, 5/50 reports 1/10, 2/20 and 3/30 gone and
		// back, then both see 1/10, 2/20 and 3/30 go. 4/40 hides the separation of 1/10 and 3/30
		String ring = "C 100 1/10,2/20,3/30,4/40,5/50 - 1/10/1,2/20/1,3/30/1,4/40/1,5/50/1\nD 1 10 1 10\n";
		String end = "C 2400 4/40,5/50 1/10/3,2/20/3,3/30/3 -\nD 5 50 1 10\nE 30000 0\n";
		String a = "I corosync 4 40 0\n" + ring + """
				C 1000 1/10,3/30,4/40,5/50 2/20/3 -
				C 1000 1/10,2/20,3/30,4/40,5/50 - 2/20/4
				""" + end;
		String b = "I corosync4j 5 50 0\n" + ring + """
				C 1000 4/40,5/50 1/10/3,2/20/3,3/30/3 -
				C 1000 1/10,2/20,3/30,4/40,5/50 - 1/10/4,2/20/4,3/30/4
				""" + end;
		List<Violation> views = check(Set.of(), a, b).violations().stream().filter((v) -> v.kind() == Kind.VIEWS).toList();
		assertThat(views).isNotEmpty().allSatisfy((violation) -> assertThat(violation.differing()).containsExactly("4/40 (corosync, a)"));
	}

	@Test
	void theMessagesPlaceTheChangesComparedNotTheClock() {
		// 1/10 never delivers 5/50's join nor 2/20's #2-3: it was cut off, yet it reports only 4/40 gone and
		// back, 4 s after the join; the change nearest in time to the join is not the one to compare with it
		String a = """
				I corosync 1 10 0
				C 100 1/10,2/20,3/30,4/40 - 1/10/1,2/20/1,3/30/1,4/40/1
				D 2 20 1 10
				C 9000 1/10,2/20,3/30 4/40/3 -
				C 9000 1/10,2/20,3/30,4/40 - 4/40/4
				D 2 20 4 10
				E 30000 0
				""";
		String b = """
				I corosync4j 2 20 0
				C 100 1/10,2/20,3/30,4/40 - 1/10/1,2/20/1,3/30/1,4/40/1
				D 2 20 1 10
				C 5000 1/10,2/20,3/30,4/40,5/50 - 5/50/1
				D 2 20 2 10
				D 2 20 3 10
				C 9000 2/20,3/30,5/50 1/10/3,4/40/3 -
				C 9000 1/10,2/20,3/30,4/40,5/50 - 1/10/4,4/40/4
				D 2 20 4 10
				E 30000 4
				""";
		List<Violation> views = check(Set.of(), a, b).violations().stream().filter((v) -> v.kind() == Kind.VIEWS).toList();
		assertThat(views).isNotEmpty().allSatisfy((violation) -> assertThat(violation.differing()).containsExactly("1/10 (corosync, a)"));
		assertThat(views).anyMatch((violation) -> violation.text().contains("a) has [1/10] move on with it, whom 2/20 (corosync4j, b) reported gone"));
	}

	@Test
	void whoReportsNoChangeWhereTheOtherReportsASeparationHidesIt() {
		// 3/30 reports 1/10 and 4/40 gone and back between #2 and #3, with 2/20 staying; 2/20 reports no
		// change there. Its own next change, 2.6 s later and elsewhere in the order (it is then cut off
		// alone), is not the one to compare: between those messages 2/20 kept every member
		String a = """
				I corosync 2 20 0
				C 100 1/10,2/20,3/30,4/40 - 1/10/1,2/20/1,3/30/1,4/40/1
				D 1 10 1 10
				D 1 10 2 10
				D 1 10 3 10
				C 7600 2/20 1/10/3,3/30/3,4/40/3 -
				E 30000 0
				""";
		String b = """
				I corosync4j 3 30 0
				C 100 1/10,2/20,3/30,4/40 - 1/10/1,2/20/1,3/30/1,4/40/1
				D 1 10 1 10
				D 1 10 2 10
				C 5000 2/20,3/30 1/10/3,4/40/3 -
				C 5000 1/10,2/20,3/30,4/40 - 1/10/4,4/40/4
				D 1 10 3 10
				C 7000 1/10,3/30,4/40 2/20/3 -
				E 30000 0
				""";
		List<Violation> views = check(Set.of(), a, b).violations().stream().filter((v) -> v.kind() == Kind.VIEWS).toList();
		assertThat(views).isNotEmpty().allSatisfy((violation) -> assertThat(violation.differing()).containsExactly("2/20 (corosync, a)"));
		assertThat(views).anyMatch((violation) -> violation.text()
			.contains("a) has [1/10, 4/40] move on with it (no change there), whom 3/30 (corosync4j, b) reported gone"));
	}

	@Test
	void whatOneDeliveredBeforeASeparationTheOtherHidIsNotComparedAgain() {
		// 2/20 reports 1/10 gone and back after #2; 1/10 hides it, so its configuration holds #1-3 and
		// 2/20's only #3: a VIEWS disagreement (1/10 differs), not messages 2/20 missed
		String a = """
				I corosync 1 10 0
				C 50 1/10 - 1/10/1
				C 100 1/10,2/20 - 2/20/1
				D 1 10 1 10
				D 1 10 2 10
				D 1 10 3 10
				C 9000 1/10,2/20,3/30 - 3/30/1
				D 1 10 4 10
				E 30000 4
				""";
		String b = """
				I corosync4j 2 20 0
				C 100 1/10,2/20 - 1/10/1,2/20/1
				D 1 10 1 10
				D 1 10 2 10
				C 5000 2/20 1/10/3 -
				C 5000 1/10,2/20 - 1/10/4
				D 1 10 3 10
				C 9000 1/10,2/20,3/30 - 3/30/1
				D 1 10 4 10
				E 30000 0
				""";
		Report report = check(Set.of(), a, b);
		assertThat(kinds(report)).doesNotContain(Kind.SYNCHRONY);
		assertThat(report.violations()).filteredOn((v) -> v.kind() == Kind.VIEWS).isNotEmpty()
			.allSatisfy((v) -> assertThat(v.differing()).containsExactly("1/10 (corosync, a)"));
	}

	@Test
	void aProcessWhoseNodeIsNotInTheRingIsAGhost() {
		// 1/10 revives 3/30 in ring 1.2, which node 3 is not in; 2/20 does not
		String a = """
				I corosync 1 10 0
				C 100 1/10,2/20,3/30 - 1/10/1,2/20/1,3/30/1
				T 100 1.1 1,2,3
				D 2 20 1 10
				C 5000 1/10,2/20 3/30/3 -
				C 5000 1/10,2/20,3/30 - 3/30/4
				T 5000 1.2 1,2
				D 2 20 2 10
				E 30000 0
				""";
		String b = """
				I corosync4j 2 20 0
				C 100 1/10,2/20,3/30 - 1/10/1,2/20/1,3/30/1
				T 100 1.1 1,2,3
				D 2 20 1 10
				C 5000 1/10,2/20 3/30/3 -
				T 5000 1.2 1,2
				D 2 20 2 10
				E 30000 2
				""";
		List<Violation> views = check(Set.of(), a, b).violations().stream().filter((v) -> v.kind() == Kind.VIEWS).toList();
		assertThat(views).isNotEmpty().allSatisfy((v) -> assertThat(v.differing()).containsExactly("1/10 (corosync, a)"));
		assertThat(views).anyMatch((v) -> v.text().contains("lists [3/30], whose node is not in ring 1.2 [1, 2]"));
		// a process killed before it logged the ring its last change came with is not judged by the ring before
		String killed = b.replace("T 5000 1.2 1,2\nD 2 20 2 10\nE 30000 2\n", "").replace("C 5000 1/10,2/20 3/30/3 -",
				"C 5000 1/10,2/20,3/30,4/40 - 4/40/4");
		assertThat(check(Set.of(), killed).violations()).noneMatch((v) -> v.text().contains("whose node is not in ring"));
	}

	@Test
	void whatAProcessDeliveredWhileListingAGhostIsNotComparedWithTheGhost() {
		// 2/20 lists 1/10 from 100 on though node 1 joins its ring only at 5000 (a ghost, Corosync reviving
		// a process from an aborted synchronization's joinlist); 1/10 can only deliver what came after
		String a = """
				I corosync 2 20 0
				C 100 1/10,2/20 - 1/10/4,2/20/1
				T 100 2.10 2
				D 2 20 1 10
				D 2 20 2 10
				T 5000 1.14 1,2
				D 2 20 3 10
				D 2 20 4 10
				C 9000 1/10,2/20,3/30 - 3/30/4
				T 9000 1.18 1,2,3
				D 2 20 5 10
				E 30000 5
				""";
		String b = """
				I corosync4j 1 10 0
				C 50 1/10 - 1/10/1
				T 50 1.c 1
				C 5000 1/10,2/20 - 2/20/4
				T 5000 1.14 1,2
				D 2 20 3 10
				D 2 20 4 10
				C 9000 1/10,2/20,3/30 - 3/30/4
				T 9000 1.18 1,2,3
				D 2 20 5 10
				E 30000 0
				""";
		Report report = check(Set.of(1L, 2L, 3L), a, b);
		assertThat(kinds(report)).as(report.violations().toString()).doesNotContain(Kind.SYNCHRONY);
		assertThat(report.violations()).filteredOn((v) -> v.kind() == Kind.VIEWS)
			.anySatisfy((v) -> assertThat(v.differing()).containsExactly("2/20 (corosync, a)"));
	}

	@Test
	void aRejoinFromConfigurationsAnEarlierChangeMadeDifferentIsJudgedAtThatChange() {
		// 3/30 reports 2/20 gone with 1/10 and all back; 2/20 reports only 1/10 gone and back (hiding its own
		// separation from 3/30). Their rejoins start from different configurations because of that first
		// change: only the hider differs, at the first change
		String a = """
				I corosync 2 20 0
				C 100 1/10,2/20,3/30 - 1/10/1,2/20/1,3/30/1
				C 5000 2/20,3/30 1/10/3 -
				C 5000 1/10,2/20,3/30 - 1/10/4
				E 30000 0
				""";
		String b = """
				I corosync4j 3 30 0
				C 100 1/10,2/20,3/30 - 1/10/1,2/20/1,3/30/1
				C 3500 3/30 1/10/3,2/20/3 -
				C 5000 1/10,2/20,3/30 - 1/10/4,2/20/4
				E 30000 0
				""";
		List<Violation> views = check(Set.of(), a, b).violations().stream().filter((v) -> v.kind() == Kind.VIEWS).toList();
		assertThat(views).isNotEmpty().allSatisfy((violation) -> assertThat(violation.differing()).containsExactly("2/20 (corosync, a)"));
	}

	@Test
	void whatAProcessDeliveredAfterMovingToAGhostConfigurationCountsForTheOneBefore() {
		// 2/20 lists 1/10 again at once though its ring stays [2, 5] until 7000; 5/50 stays in [2, 5] until
		// then: what both delivered in between belongs to [2, 5] for both
		String a = """
				I corosync 2 20 0
				C 100 1/10,2/20,5/50 - 1/10/1,2/20/1,5/50/1
				T 100 1.4 1,2,5
				D 2 20 1 10
				C 5000 2/20,5/50 1/10/3 -
				C 5000 1/10,2/20,5/50 - 1/10/4
				T 5000 2.8 2,5
				D 2 20 2 10
				D 2 20 3 10
				T 7000 1.c 1,2,5
				D 2 20 4 10
				E 30000 4
				""";
		String b = """
				I corosync4j 5 50 0
				C 100 1/10,2/20,5/50 - 1/10/1,2/20/1,5/50/1
				T 100 1.4 1,2,5
				D 2 20 1 10
				C 5000 2/20,5/50 1/10/3 -
				T 5000 2.8 2,5
				D 2 20 2 10
				D 2 20 3 10
				C 7000 1/10,2/20,5/50 - 1/10/4
				T 7000 1.c 1,2,5
				D 2 20 4 10
				E 30000 0
				""";
		Report report = check(Set.of(1L, 2L, 5L), a, b);
		assertThat(kinds(report)).as(report.violations().toString()).doesNotContain(Kind.SYNCHRONY);
		assertThat(report.violations()).filteredOn((v) -> v.kind() == Kind.VIEWS)
			.anySatisfy((v) -> assertThat(v.differing()).containsExactly("2/20 (corosync, a)"));
	}

	@Test
	void twoThatPartedAndSaySoAgree() {
		// 1/10 is cut off before 3/30 joins 2/20; each reports the other gone and back
		String a = """
				I corosync 1 10 0
				C 100 1/10,2/20 - 1/10/1,2/20/1
				D 2 20 1 10
				C 6000 1/10 2/20/3 -
				C 9000 1/10,2/20,3/30 - 2/20/4,3/30/4
				D 2 20 3 10
				E 30000 0
				""";
		String b = """
				I corosync4j 2 20 0
				C 100 1/10,2/20 - 1/10/1,2/20/1
				D 2 20 1 10
				C 5000 1/10,2/20,3/30 - 3/30/1
				D 2 20 2 10
				C 6000 2/20,3/30 1/10/3 -
				C 9000 1/10,2/20,3/30 - 1/10/4
				D 2 20 3 10
				E 30000 3
				""";
		assertThat(kinds(check(Set.of(), a, b))).doesNotContain(Kind.VIEWS);
	}

	@Test
	void whoGivesTheWrongReasonForADepartureDiffers() {
		// 3/30 lost its daemon (its node went down): NODEDOWN (3) is what happened, PROCDOWN (5) is not
		String a = """
				I corosync 1 10 0
				C 100 1/10,2/20,3/30 - 1/10/1,2/20/1,3/30/1
				D 2 20 1 10
				C 5000 1/10,2/20 3/30/5 -
				D 2 20 2 10
				E 30000 0
				""";
		String b = """
				I corosync4j 2 20 0
				C 100 1/10,2/20,3/30 - 1/10/1,2/20/1,3/30/1
				D 2 20 1 10
				C 5000 1/10,2/20 3/30/3 -
				D 2 20 2 10
				E 30000 2
				""";
		String c = """
				I corosync 3 30 0
				C 100 1/10,2/20,3/30 - 1/10/1,2/20/1,3/30/1
				D 2 20 1 10
				X 4000 cpg_dispatch-error-2
				""";
		Violation views = only(check(Set.of(), a, b, c), Kind.VIEWS);
		assertThat(views.differing()).containsExactly("1/10 (corosync, a)");
		assertThat(views.text()).contains("a) gives the wrong reason for [3/30/5]");
		// had its node stayed, PROCDOWN would be the right reason
		Violation other = only(check(Set.of(), a, b, c.replace("X 4000 cpg_dispatch-error-2", "E 4000 0")), Kind.VIEWS);
		assertThat(other.differing()).containsExactly("2/20 (corosync4j, b)");
	}

	@Test
	void aProcessThatSawTheSameChangeElsewhereInTheOrder() {
		// 2/20 sees 3/30 join 20 s later, after messages 1/10 delivered after it: not the same place
		String a = """
				I corosync4j 1 10 0
				C 100 1/10,2/20 - 1/10/1
				C 200 1/10,2/20,3/30 - 3/30/1
				D 1 10 1 10
				D 1 10 2 10
				E 30000 2
				""";
		String b = """
				I corosync 2 20 0
				C 100 1/10,2/20 - 1/10/1
				D 1 10 1 10
				D 1 10 2 10
				C 20200 1/10,2/20,3/30 - 3/30/1
				E 30000 0
				""";
		Violation views = only(check(Set.of(), a, b), Kind.VIEWS);
		assertThat(views.text()).contains("which saw it at another place of the order").contains("view 1 at 00:00:20.200");
	}

	@Test
	void aLiveSenderDeliversItsOwnMessages() {
		String a = A.replace("Q 300 2\nE 400 2", "Q 300 4\nE 400 4");
		Violation self = only(check(Set.of(), a, B), Kind.SELF);
		assertThat(self.text()).contains("sent 4 messages but never delivered 2 of them: #3-4");
		// a killed sender (no E line) is not held to it
		assertThat(check(Set.of(), a.replace("E 400 4\n", ""), B).violations()).isEmpty();
	}

	@Test
	void livenessWantsOneLiveProcessPerNodeAllInOneViewWithNewTraffic() {
		assertThat(check(Set.of(1L, 2L), A, B).violations()).isEmpty();
		// node 3 has no live process
		assertThat(only(check(Set.of(1L, 2L, 3L), A, B), Kind.LIVENESS).text())
			.contains("node 3 has 0 client processes alive at the end");
		// 2/20 ends apart from 1/10
		String apart = B.replace("Q 300 2", "C 250 2/20 1/10/3 -\nQ 300 2");
		Report report = check(Set.of(1L, 2L), A, apart);
		assertThat(kinds(report)).contains(Kind.LIVENESS);
		assertThat(report.violations().stream().filter((v) -> v.kind() == Kind.LIVENESS).map(Violation::text))
			.anyMatch((text) -> text.contains("2/20 (corosync, b) was in [members 2/20"));
		// no new message from 2/20 in the last view
		String silent = A.replace("D 2 20 1 40000\n", "").replace("D 2 20 2 300\n", "");
		String silentB = B.replace("D 2 20 1 40000\n", "").replace("D 2 20 2 300\n", "").replace("Q 300 2\nE 400 2",
				"Q 300 0\nE 400 0");
		assertThat(check(Set.of(1L, 2L), silent, silentB).violations()).extracting(Violation::text)
			.anyMatch((text) -> text.contains("delivered nothing from [2/20]"));
	}

	@Test
	void theFinalViewIsOneViewForEveryone() {
		String b = B.replace("D 1 10 2 16\n", "");
		Report report = check(Set.of(1L, 2L), A, b);
		assertThat(report.violations()).extracting(Violation::text)
			.anyMatch((text) -> text.contains("different sets of messages in the final view"));
	}

	@Test
	void wrongBytesAreReported() {
		String b = B.replace("D 2 20 2 300", "B 2 20 2 300 350");
		Violation corrupt = only(check(Set.of(1L, 2L), A, b), Kind.CORRUPT);
		assertThat(corrupt.differingImpls()).containsExactly("corosync");
	}

	@Test
	void timesOnAWholeSecondAreShownWithTheirMilliseconds() {
		assertThat(ChaosLog.clock(1_000)).isEqualTo("00:00:01.000");
		assertThat(ChaosLog.clock(61_234)).isEqualTo("00:01:01.234");
	}

	@Test
	void halfALineFromAKilledProcessIsIgnored() {
		ChaosLog.Senders senders = new ChaosLog.Senders();
		ChaosLog log = ChaosLog.parse("a", A.substring(0, A.indexOf("D 1 10 2")) + "D 1 10", senders);
		assertThat(log.delivered()).isEqualTo(2);
	}

	private static Report check(Set<Long> nodes, String... texts) {
		ChaosLog.Senders senders = new ChaosLog.Senders();
		List<ChaosLog> logs = new ArrayList<>();
		char name = 'a';
		for (String text : texts) {
			logs.add(ChaosLog.parse(String.valueOf(name++), text, senders));
		}
		return new ChaosChecker(logs, senders, nodes).check();
	}

	private static Report checkWith(List<RecoveryTrace.EarlyFree> frees, String... texts) {
		ChaosLog.Senders senders = new ChaosLog.Senders();
		List<ChaosLog> logs = new ArrayList<>();
		char name = 'a';
		for (String text : texts) {
			logs.add(ChaosLog.parse(String.valueOf(name++), text, senders));
		}
		return new ChaosChecker(logs, senders, Set.of()).withEarlyFrees(frees).check();
	}

	private static List<Kind> kinds(Report report) {
		return report.violations().stream().map(Violation::kind).toList();
	}

	private static Violation of(Report report, Kind kind) {
		return report.violations().stream().filter((v) -> v.kind() == kind).findFirst().orElseThrow(
				() -> new AssertionError("no " + kind + " violation in " + report.violations()));
	}

	private static Violation only(Report report, Kind kind) {
		assertThat(kinds(report)).as(report.violations().toString()).containsExactly(kind);
		return report.violations().get(0);
	}

}
