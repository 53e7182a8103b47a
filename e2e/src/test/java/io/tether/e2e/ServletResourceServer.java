package io.tether.e2e;

import java.io.IOException;
import java.nio.file.Path;

import io.tether.workload.binding.BoundTokenFilter;
import io.tether.workload.binding.VerifiedToken;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/**
 * A plain-HTTP resource server on 127.0.0.1 in an embedded Tomcat, guarded by
 * {@link BoundTokenFilter}: what sits behind a TLS-terminating proxy.
 */
final class ServletResourceServer implements AutoCloseable {

	private final Tomcat tomcat;

	ServletResourceServer(Path baseDir, BoundTokenFilter filter) {
		this.tomcat = new Tomcat();
		this.tomcat.setBaseDir(baseDir.toString());
		Connector connector = new Connector();
		connector.setPort(0);
		connector.setProperty("address", "127.0.0.1");
		this.tomcat.setConnector(connector);
		Context context = this.tomcat.addContext("", baseDir.toString());
		Wrapper orders = Tomcat.addServlet(context, "orders", new HttpServlet() {

			private static final long serialVersionUID = 1L;

			@Override
			protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
				VerifiedToken token = (VerifiedToken) request.getAttribute(VerifiedToken.REQUEST_ATTRIBUTE);
				response.getWriter().print("orders for " + token.subject());
			}

		});
		orders.addMapping("/orders");
		FilterDef definition = new FilterDef();
		definition.setFilterName("bound-token");
		definition.setFilter(filter);
		context.addFilterDef(definition);
		FilterMap mapping = new FilterMap();
		mapping.setFilterName("bound-token");
		mapping.addURLPattern("/*");
		context.addFilterMap(mapping);
		try {
			this.tomcat.start();
		}
		catch (LifecycleException ex) {
			throw new IllegalStateException(ex);
		}
	}

	int port() {
		return this.tomcat.getConnector().getLocalPort();
	}

	@Override
	public void close() throws LifecycleException {
		this.tomcat.stop();
		this.tomcat.destroy();
	}

}
