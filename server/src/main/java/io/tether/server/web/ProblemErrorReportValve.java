package io.tether.server.web;

import java.io.IOException;
import java.io.Writer;

import io.tether.api.ProblemType;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

import org.springframework.http.MediaType;

/**
 * Tomcat's last word on a request, in the API's format: what Tomcat refuses before any
 * filter or handler sees it (a {@code %00} or {@code %ff} in the path, a query string or
 * header over the size limit) is answered with a problem document instead of Tomcat's
 * HTML page, and names neither Tomcat nor its version.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

	@Override
	protected void report(Request request, Response response, Throwable throwable) {
		int status = response.getStatus();
		if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
			return;
		}
		ProblemType type = ProblemType.forStatus(status);
		String detail = (status == 400)
				? "The request could not be parsed: its path, query string or headers are malformed or too large"
				: type.title();
		try {
			response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			response.setCharacterEncoding("UTF-8");
			Writer writer = response.getReporter();
			if (writer != null) {
				writer.write(Problems.json(type, status, detail));
				response.finishResponse();
			}
		}
		catch (IOException | IllegalStateException ex) {
			// the client is gone or the response is already on its way: nothing to add
		}
	}

}
