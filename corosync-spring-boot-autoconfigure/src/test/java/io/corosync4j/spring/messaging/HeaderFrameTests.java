package io.corosync4j.spring.messaging;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HeaderFrameTests {

	@Test
	void headersAndPayloadRoundTrip() {
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("tenant", "acme");
		headers.put("trace", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
		headers.put("empty", "");
		byte[] payload = "{\"item\":\"figs\"}".getBytes(StandardCharsets.UTF_8);
		HeaderFrame.Decoded decoded = HeaderFrame.decode(HeaderFrame.encode(headers, payload));
		assertThat(decoded).isNotNull();
		assertThat(decoded.headers()).containsExactlyEntriesOf(headers);
		assertThat(decoded.payload()).isEqualTo(payload);
	}

	@Test
	void anythingThatIsNotAFrameInEveryDetailIsBare() {
		byte[] frame = HeaderFrame.encode(Map.of("k", "v"), new byte[] { 1, 2, 3 });
		assertThat(HeaderFrame.decode("plain text".getBytes(StandardCharsets.UTF_8))).isNull();
		assertThat(HeaderFrame.decode(new byte[0])).isNull();
		assertThat(HeaderFrame.decode(Arrays.copyOf(HeaderFrame.MARK, HeaderFrame.MARK.length))).isNull();
		// cut inside the headers
		for (int length = HeaderFrame.MARK.length; length < frame.length - 3; length++) {
			assertThat(HeaderFrame.decode(Arrays.copyOf(frame, length))).as("first %d bytes", length).isNull();
		}
		// a count beyond the limit
		byte[] many = frame.clone();
		many[HeaderFrame.MARK.length] = (byte) 0xff;
		assertThat(HeaderFrame.decode(many)).isNull();
	}

}
