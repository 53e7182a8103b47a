import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.util.Arrays;

import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

/**
 * Runs one {@code @FuzzTest} through the JUnit Platform, as surefire would, without
 * Maven's start-up: {@code java -cp <test class path> fuzz/FuzzTarget.java Class#method}.
 * Jazzer fuzzes a single fuzz test per JVM, so fuzz/run.sh starts one of these per target.
 * Exits 0 when the test passed (no finding), 1 otherwise.
 */
public class FuzzTarget {

	public static void main(String[] args) throws Exception {
		String[] target = args[0].split("#", 2);
		Class<?> type = Class.forName(target[0]);
		Method method = Arrays.stream(type.getDeclaredMethods())
			.filter((candidate) -> candidate.getName().equals(target[1]))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("No method " + args[0]));
		LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
			.selectors(selectMethod(type, method))
			.build();
		SummaryGeneratingListener listener = new SummaryGeneratingListener();
		LauncherFactory.create().execute(request, listener);
		TestExecutionSummary summary = listener.getSummary();
		summary.printFailuresTo(new PrintWriter(System.err, true), 50);
		boolean passed = summary.getTestsStartedCount() > 0 && summary.getTotalFailureCount() == 0;
		System.exit(passed ? 0 : 1);
	}

}
