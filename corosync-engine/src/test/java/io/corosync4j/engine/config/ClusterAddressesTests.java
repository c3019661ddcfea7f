package io.corosync4j.engine.config;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Binding a configuration to a host: Corosync's local-node search, address resolution with
 * {@code ip_version}, node ids generated for udp/udpu, and the checks that need addresses.
 */
class ClusterAddressesTests {

	private static final String KNET_NAMES = """
			totem {
				version: 2
			}
			nodelist {
				node {
					nodeid: 1
					name: alpha.example.com
					ring0_addr: 10.0.0.1
				}
				node {
					nodeid: 2
					name: beta
					ring0_addr: beta-ring0
				}
			}
			""";

	@Test
	void localNodeByHostName() {
		FakeHost host = new FakeHost("beta", "192.0.2.99").name("beta-ring0", "10.0.0.2");
		ClusterAddresses addresses = resolve(KNET_NAMES, host);
		assertThat(addresses.localNode().nodeid()).isEqualTo(2);
		assertThat(addresses.localNode().addresses().get(0).getHostAddress()).isEqualTo("10.0.0.2");
	}

	@Test
	void localNodeByShorterHostNames() {
		FakeHost host = new FakeHost("beta.lab.example.com", "192.0.2.99").name("beta-ring0", "10.0.0.2");
		assertThat(resolve(KNET_NAMES, host).localNode().nodeid()).isEqualTo(2);
	}

	@Test
	void localNodeByDomainStrippedNodeName() {
		FakeHost host = new FakeHost("alpha", "192.0.2.99").name("beta-ring0", "10.0.0.2");
		assertThat(resolve(KNET_NAMES, host).localNode().nodeid()).isEqualTo(1);
	}

	@Test
	void localNodeByReverseLookupOfAnInterfaceAddress() {
		FakeHost host = new FakeHost("unrelated", "192.0.2.7").reverse("192.0.2.7", "beta.example.net")
			.name("beta-ring0", "10.0.0.2");
		assertThat(resolve(KNET_NAMES, host).localNode().nodeid()).isEqualTo(2);
	}

	@Test
	void localNodeByInterfaceAddress() {
		FakeHost host = new FakeHost("unrelated", "10.0.0.1").name("beta-ring0", "10.0.0.2");
		assertThat(resolve(KNET_NAMES, host).localNode().position()).isZero();
	}

	@Test
	void localNodeByResolvingNodeNames() {
		FakeHost host = new FakeHost("unrelated", "10.0.0.2").name("beta-ring0", "10.0.0.2");
		assertThat(resolve(KNET_NAMES, host).localNode().nodeid()).isEqualTo(2);
	}

	@Test
	void hostNotInTheNodelist() {
		FakeHost host = new FakeHost("gamma", "10.0.0.3").name("beta-ring0", "10.0.0.2");
		assertProblem(KNET_NAMES, host, "nodelist", "No valid name found for local host");
	}

	@Test
	void unresolvableNodeAddress() {
		assertProblem(KNET_NAMES, new FakeHost("alpha", "10.0.0.1"), "nodelist.node.1.ring0_addr",
				"failed to parse node address 'beta-ring0'");
	}

	@Test
	void udpuGeneratesNodeidsFromIpv4Addresses() {
		String udpu = """
				totem {
					version: 2
					transport: udpu
				}
				nodelist {
					node {
						ring0_addr: 10.98.0.1
					}
					node {
						ring0_addr: 10.98.0.2
						nodeid: 0
					}
					node {
						ring0_addr: 192.168.1.10
						nodeid: 7
					}
				}
				""";
		ClusterAddresses addresses = resolve(udpu, new FakeHost("h", "10.98.0.1"));
		assertThat(addresses.nodes()).extracting(ClusterAddresses.ResolvedNode::nodeid)
			.containsExactly(174194689L, 174194690L, 7L);
		assertThat(addresses.localNode().nodeidGenerated()).isTrue();
		CorosyncConfig config = CorosyncConfigReaderTests.read(udpu);
		ConfigMap cmap = config.toCmap(addresses);
		assertThat(cmap.number("nodelist.node.1.nodeid")).hasValue(174194690);
		assertThat(cmap.number("nodelist.local_node_pos")).hasValue(0);
		assertThat(cmap.string("totem.interface.0.bindnetaddr")).hasValue("10.98.0.1");
		String highBit = udpu.replace("transport: udpu", "transport: udpu\n\tclear_node_high_bit: yes")
			.replace("192.168.1.10", "192.168.1.11");
		assertThat(resolve(highBit, new FakeHost("h", "192.168.1.11")).localNode().nodeid()).isEqualTo(7);
		assertThat(resolve(highBit.replace("nodeid: 7", ""), new FakeHost("h", "192.168.1.11")).localNode().nodeid())
			.isEqualTo(0xC0A8010BL & 0x7FFFFFFFL);
	}

	@Test
	void ipv6NeedsExplicitNodeids() {
		String udpu = "totem {\n\tversion: 2\n\ttransport: udpu\n}\nnodelist {\n\tnode {\n\t\tring0_addr: fd98::1\n\t}\n"
				+ "\tnode {\n\t\tring0_addr: fd98::2\n\t}\n}\n";
		assertProblem(udpu, new FakeHost("h", "fd98::1"), "nodelist.node.0.nodeid",
				"An IPV6 network requires that a node ID be specified");
		assertProblem(udpu, new FakeHost("h", "fd98::3", "fd98::2"), "nodelist.node.0.nodeid",
				"An IPV6 network requires that a node ID be specified for address 'fd98::1'.");
	}

	@Test
	void ipVersionRestrictsAddresses() {
		String ipv4Only = "totem {\n\tversion: 2\n\tip_version: ipv4\n}\nnodelist {\n\tnode {\n\t\tnodeid: 1\n"
				+ "\t\tring0_addr: fd98::1\n\t}\n}\n";
		assertProblem(ipv4Only, new FakeHost("h", "fd98::1"), "nodelist.node.0.ring0_addr",
				"failed to parse bindnet address 'fd98::1'");
		FakeHost dualStack = new FakeHost("h", "10.0.0.1", "fd00::1").name("dual", "10.0.0.1", "fd00::1");
		String byName = "totem {\n\tversion: 2\n\tip_version: %s\n}\nnodelist {\n\tnode {\n\t\tnodeid: 1\n"
				+ "\t\tname: h\n\t\tring0_addr: dual\n\t}\n}\n";
		assertThat(resolve(byName.formatted("ipv6-4"), dualStack).localNode().addresses().get(0).getHostAddress())
			.contains(":");
		assertThat(resolve(byName.formatted("ipv4-6"), dualStack).localNode().addresses().get(0).getHostAddress())
			.isEqualTo("10.0.0.1");
	}

	@Test
	void oneFamilyPerLink() {
		String mixed = "totem {\n\tversion: 2\n}\nnodelist {\n\tnode {\n\t\tnodeid: 1\n\t\tring0_addr: 10.98.0.1\n\t}\n"
				+ "\tnode {\n\t\tnodeid: 2\n\t\tring0_addr: fd98::2\n\t}\n}\n";
		assertProblem(mixed, FakeHost.fixtureNode1(), "nodelist.node.1.ring0_addr",
				"Nodes for link 0 have different IP families (compared fd98::2 with 10.98.0.1)");
	}

	@Test
	void generatedNodeidsMustNotClash() {
		String clash = "totem {\n\tversion: 2\n\ttransport: udpu\n}\nnodelist {\n\tnode {\n\t\tnodeid: 174194690\n"
				+ "\t\tring0_addr: 10.98.0.1\n\t}\n\tnode {\n\t\tring0_addr: 10.98.0.2\n\t}\n}\n";
		assertProblem(clash, FakeHost.fixtureNode1(), "nodelist.node.1.nodeid",
				"Nodeid 174194690(autogenerated from 10.98.0.2) appears twice in corosync.conf");
	}

	@Test
	void emptyOrUnparsableAddressesAreRefused() {
		assertProblem(KNET_NAMES.replace("ring0_addr: beta-ring0", "ring0_addr:"), new FakeHost("alpha", "10.0.0.1"),
				"nodelist.node.1.ring0_addr", "failed to parse node address ''");
		assertProblem(KNET_NAMES.replace("version: 2", "version: 2\n\tinterface {\n\t\tmcastaddr: not-an-address\n\t}"),
				new FakeHost("alpha", "10.0.0.1").name("beta-ring0", "10.0.0.2"), "totem.interface.0.mcastaddr",
				"failed to parse mcast address 'not-an-address'");
	}

	@Test
	void localNodeWithoutRing0Address() {
		String text = KNET_NAMES.replace("ring0_addr: beta-ring0\n", "");
		assertProblem(text, new FakeHost("beta", "10.0.0.2"), "nodelist.node.1.ring0_addr",
				"the local node (nodelist.node.1) has no ring0_addr, so it cannot be a member of the ring");
	}

	@Test
	void bindnetaddrInCmapIsTheLocalNodesAddressAsWritten() {
		String text = KNET_NAMES.replace("version: 2", "version: 2\n\tinterface {\n\t\tbindnetaddr: 10.0.0.0\n\t}");
		FakeHost host = new FakeHost("beta", "10.0.0.2").name("beta-ring0", "10.0.0.2");
		CorosyncConfig config = new CorosyncConfigReader(Map.of()).read(ConfigParser.parse("corosync.conf", text));
		assertThat(config.toCmap(ClusterAddresses.resolve(config, host)).string("totem.interface.0.bindnetaddr"))
			.hasValue("beta-ring0");
	}

	@Test
	void udpMulticastChecks() {
		String udp = "totem {\n\tversion: 2\n\ttransport: udp\n\tinterface {\n\t\tmcastaddr: %s\n\t}\n}\n"
				+ "nodelist {\n\tnode {\n\t\tring0_addr: 10.98.0.1\n\t}\n}\n";
		assertThat(resolve(udp.formatted("239.255.1.1"), FakeHost.fixtureNode1()).localNode().nodeid())
			.isEqualTo(174194689L);
		assertProblem(udp.formatted("10.1.1.1"), FakeHost.fixtureNode1(), "totem.interface.0.mcastaddr",
				"mcastaddr is not a correct multicast address for interface 0");
		// udp resolves IPv4 only unless told otherwise, as Corosync does
		assertProblem(udp.formatted("ff15::1"), FakeHost.fixtureNode1(), "totem.interface.0.mcastaddr",
				"failed to parse mcast address 'ff15::1'");
		assertProblem(udp.replace("transport: udp", "transport: udp\n\tip_version: ipv4-6").formatted("ff15::1"),
				FakeHost.fixtureNode1(), "totem.interface.0.mcastaddr",
				"Multicast address family does not match bind address family for interface 0");
	}

	@Test
	void addressesPrintLikeInetNtop() throws Exception {
		assertThat(AddressFormat.format(java.net.InetAddress.getByName("fd98:0:0:0:0:0:0:2"))).isEqualTo("fd98::2");
		assertThat(AddressFormat.format(java.net.InetAddress.getByName("2001:db8:0:1:0:0:0:1")))
			.isEqualTo("2001:db8:0:1::1");
		assertThat(AddressFormat.format(java.net.InetAddress.getByName("::1"))).isEqualTo("::1");
		assertThat(AddressFormat.format(java.net.InetAddress.getByName("2001:db8:1:1:1:1:1:1")))
			.isEqualTo("2001:db8:1:1:1:1:1:1");
	}

	private static ClusterAddresses resolve(String text, HostNetwork host) {
		return ClusterAddresses.resolve(new CorosyncConfigReader(Map.of()).read(ConfigParser.parse("corosync.conf", text)),
				host);
	}

	private static void assertProblem(String text, HostNetwork host, String key, String message) {
		assertThatExceptionOfType(ConfigException.class).isThrownBy(() -> resolve(text, host)).satisfies((ex) -> {
			assertThat(ex.firstProblem().message()).isEqualTo(message);
			assertThat(ex.firstProblem().key()).isEqualTo(key);
			assertThat(ex.firstProblem().fix()).isNotBlank();
			assertThat(ex.exitStatus()).isEqualTo(8);
		});
	}

}
