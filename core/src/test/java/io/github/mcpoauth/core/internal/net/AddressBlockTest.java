package io.github.mcpoauth.core.internal.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class AddressBlockTest {

    private static byte[] ip(String literal) throws Exception {
        return InetAddress.getByName(literal).getAddress();
    }

    @Test
    void whenPrefixIsWholeBytesThenOnlyTheNetworkMatches() throws Exception {
        AddressBlock block = AddressBlock.of(ip("10.0.0.0"), 8);

        assertThat(block.contains(ip("10.255.1.2"))).isTrue();
        assertThat(block.contains(ip("11.0.0.1"))).isFalse();
    }

    @Test
    void whenPrefixSplitsAByteThenTheMaskedBitsDecide() throws Exception {
        AddressBlock block = AddressBlock.of(ip("172.16.0.0"), 12);

        assertThat(block.contains(ip("172.31.255.255"))).isTrue();
        assertThat(block.contains(ip("172.32.0.0"))).isFalse();
        assertThat(AddressBlock.of(ip("fc00::"), 7).contains(ip("fdff::1"))).isTrue();
        assertThat(AddressBlock.of(ip("fc00::"), 7).contains(ip("fe00::1"))).isFalse();
    }

    @Test
    void whenFamiliesDifferOrAddressIsNullThenNotContained() throws Exception {
        assertThat(AddressBlock.of(ip("0.0.0.0"), 0).contains(ip("::1"))).isFalse();
        assertThat(AddressBlock.of(ip("0.0.0.0"), 0).contains(null)).isFalse();
        assertThat(AddressBlock.of(ip("0.0.0.0"), 0).contains(ip("203.0.113.9"))).isTrue();
    }

    @Test
    void whenTheNetworkArrayChangesLaterThenTheBlockDoesNot() throws Exception {
        byte[] network = ip("192.168.0.0");
        AddressBlock block = AddressBlock.of(network, 16);
        network[0] = 10;

        assertThat(block.contains(ip("192.168.3.4"))).isTrue();
    }

    @Test
    void whenNetworkOrPrefixIsBadThenRefusedNamingIt() {
        assertThatThrownBy(() -> AddressBlock.of(new byte[5], 8)).hasMessageContaining("network");
        assertThatThrownBy(() -> AddressBlock.of(new byte[4], 33)).hasMessageContaining("prefix");
        assertThatThrownBy(() -> AddressBlock.of(new byte[16], -1)).hasMessageContaining("prefix");
    }
}
