package io.github.mcpoauth.core.client.document;

import io.github.mcpoauth.core.internal.net.AddressBlock;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * {@link AddressPolicy#publicOnly()}: globally routable unicast only. IPv4 is refused when it falls in a
 * special-use block (RFC 6890 and the IANA registry). IPv6 is refused unless it is global unicast
 * ({@code 2000::/3}) outside the special-use blocks there; IPv4-mapped ({@code ::ffff:0:0/96}) and NAT64
 * ({@code 64:ff9b::/96}) addresses are judged by the IPv4 address they carry.
 */
final class PublicAddresses implements AddressPolicy {

    static final PublicAddresses INSTANCE = new PublicAddresses();

    private static final List<AddressBlock> REFUSED_V4 = blocks(
            "0.0.0.0/8",          // "this network", includes the unspecified address
            "10.0.0.0/8",         // private (RFC 1918)
            "100.64.0.0/10",      // carrier-grade NAT (RFC 6598)
            "127.0.0.0/8",        // loopback
            "169.254.0.0/16",     // link-local, including cloud metadata at 169.254.169.254
            "172.16.0.0/12",      // private
            "192.0.0.0/24",       // IETF protocol assignments
            "192.0.2.0/24",       // documentation
            "192.31.196.0/24",    // AS112
            "192.52.193.0/24",    // AMT
            "192.88.99.0/24",     // 6to4 relay anycast
            "192.168.0.0/16",     // private
            "192.175.48.0/24",    // AS112 direct delegation
            "198.18.0.0/15",      // benchmarking
            "198.51.100.0/24",    // documentation
            "203.0.113.0/24",     // documentation
            "224.0.0.0/4",        // multicast
            "240.0.0.0/4");       // reserved, includes the limited broadcast address

    private static final AddressBlock GLOBAL_UNICAST_V6 = block("2000::/3");
    private static final List<AddressBlock> REFUSED_V6 = blocks(
            "2001::/23",          // IETF protocol assignments, includes Teredo 2001::/32
            "2001:db8::/32",      // documentation
            "2002::/16",          // 6to4, tunnels to an embedded IPv4 address
            "3fff::/20");         // documentation (RFC 9637)
    private static final AddressBlock MAPPED_V4 = block("::ffff:0:0/96");
    private static final AddressBlock NAT64 = block("64:ff9b::/96");

    private PublicAddresses() {
    }

    @Override
    public boolean permits(InetAddress address) {
        if (address == null || address.isAnyLocalAddress() || address.isLoopbackAddress()
                || address.isLinkLocalAddress() || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            return permitsV4(bytes);
        }
        if (address instanceof Inet6Address && bytes.length == 16) {
            if (MAPPED_V4.contains(bytes) || NAT64.contains(bytes)) {
                return permitsV4(Arrays.copyOfRange(bytes, 12, 16));
            }
            return GLOBAL_UNICAST_V6.contains(bytes) && REFUSED_V6.stream().noneMatch(b -> b.contains(bytes));
        }
        return false;
    }

    private static boolean permitsV4(byte[] bytes) {
        return bytes.length == 4 && REFUSED_V4.stream().noneMatch(b -> b.contains(bytes));
    }

    private static List<AddressBlock> blocks(String... cidrs) {
        return Arrays.stream(cidrs).map(PublicAddresses::block).toList();
    }

    private static AddressBlock block(String cidr) {
        int slash = cidr.indexOf('/');
        try {
            // Literals only: getByName does no lookup for them. IPv4-mapped literals come back as Inet4Address,
            // so the mapped block is built from its bytes.
            byte[] network = cidr.startsWith("::ffff:")
                    ? new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 0, 0, 0, 0}
                    : InetAddress.getByName(cidr.substring(0, slash)).getAddress();
            return AddressBlock.of(network, Integer.parseInt(cidr.substring(slash + 1)));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("bad built-in block " + cidr, e);
        }
    }
}
