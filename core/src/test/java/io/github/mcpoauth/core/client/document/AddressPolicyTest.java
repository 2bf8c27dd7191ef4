package io.github.mcpoauth.core.client.document;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressPolicyTest {

    private final AddressPolicy policy = AddressPolicy.publicOnly();

    @ParameterizedTest
    @ValueSource(strings = {
        "127.0.0.1", "127.255.255.254",           // loopback
        "10.0.0.1", "10.255.255.255",             // private
        "172.16.0.1", "172.31.255.255",           // private
        "192.168.0.1", "192.168.255.255",         // private
        "169.254.169.254", "169.254.0.1",         // link-local, cloud metadata
        "100.64.0.1", "100.127.255.255",          // carrier-grade NAT
        "0.0.0.0", "0.1.2.3",                     // this network, unspecified
        "224.0.0.1", "239.255.255.250",           // multicast
        "240.0.0.1", "255.255.255.255",           // reserved, broadcast
        "192.0.0.8", "192.0.2.1", "198.51.100.7", "203.0.113.9", // IETF assignments, documentation
        "198.18.0.1", "198.19.255.255",           // benchmarking
        "192.88.99.1",                            // 6to4 relay
        "::1", "::",                              // loopback, unspecified
        "fe80::1", "febf::1",                     // link-local
        "fec0::1",                                // site-local (deprecated)
        "fc00::1", "fd12:3456:789a::1",           // unique local
        "ff02::1", "ff0e::1",                     // multicast
        "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", // IPv4-mapped forms
        "64:ff9b::a00:1", "64:ff9b::7f00:1",      // NAT64 of 10.0.0.1 and 127.0.0.1
        "64:ff9b:1::1",                           // local-use NAT64
        "::127.0.0.1",                            // IPv4-compatible (deprecated)
        "2001:db8::1",                            // documentation
        "2001::1",                                // Teredo
        "2002:a00:1::1",                          // 6to4 around 10.0.0.1
        "3fff::1",                                // documentation
        "100::1"                                  // discard-only
    })
    void whenAddressIsSpecialUseThenRefused(String literal) {
        assertThat(policy.permits(FakeResolver.literal(literal))).as(literal).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.215.14", "8.8.8.8", "1.1.1.1", "172.15.255.255", "172.32.0.1", "100.63.255.255",
        "100.128.0.1", "169.253.255.255", "2606:4700:4700::1111", "2a00:1450:4001::200e", "64:ff9b::808:808"})
    void whenAddressIsGloballyRoutableThenPermitted(String literal) {
        assertThat(policy.permits(FakeResolver.literal(literal))).as(literal).isTrue();
    }

    @Test
    void whenIpv4MappedAddressIsKeptAsInet6AddressThenJudgedByItsIpv4Address() throws Exception {
        byte[] mappedPrivate = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, 0, 0, 1};
        byte[] mappedPublic = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 8, 8, 8, 8};
        InetAddress privateV6 = Inet6Address.getByAddress(null, mappedPrivate, -1);
        InetAddress publicV6 = Inet6Address.getByAddress(null, mappedPublic, -1);

        assertThat(privateV6).isInstanceOf(Inet6Address.class);
        assertThat(policy.permits(privateV6)).isFalse();
        assertThat(policy.permits(publicV6)).isTrue();
    }

    @Test
    void whenAddressIsNullThenRefused() {
        assertThat(policy.permits(null)).isFalse();
    }
}
