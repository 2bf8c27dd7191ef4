package io.github.mcpoauth.core.internal.net;

import java.util.Arrays;
import java.util.Objects;

/**
 * An IP address block (RFC 4632 §3.1 CIDR notation, RFC 4291 §2.3 for IPv6): the addresses whose first
 * {@code prefix} bits equal those of {@code network}. Addresses are compared as raw bytes, 4 for IPv4 and 16 for
 * IPv6; an address of the other family is never contained. Immutable.
 */
public final class AddressBlock {

    private final byte[] network;
    private final int prefix;

    private AddressBlock(byte[] network, int prefix) {
        this.network = network;
        this.prefix = prefix;
    }

    /**
     * The block of {@code network} (4 or 16 bytes, copied) with a prefix of {@code prefix} bits.
     *
     * @throws IllegalArgumentException naming the bad value
     */
    public static AddressBlock of(byte[] network, int prefix) {
        Objects.requireNonNull(network, "network");
        if (network.length != 4 && network.length != 16) {
            throw new IllegalArgumentException("network must be 4 or 16 bytes, was " + network.length);
        }
        if (prefix < 0 || prefix > network.length * 8) {
            throw new IllegalArgumentException("prefix must be 0 to " + network.length * 8 + ", was " + prefix);
        }
        return new AddressBlock(network.clone(), prefix);
    }

    /** Whether {@code address} (raw bytes, as {@link java.net.InetAddress#getAddress()} gives them) is in the block. */
    public boolean contains(byte[] address) {
        if (address == null || address.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (address[full] & mask) == (network[full] & mask);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AddressBlock b && prefix == b.prefix && Arrays.equals(network, b.network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefix;
    }

    @Override
    public String toString() {
        return "AddressBlock[" + Arrays.toString(network) + "/" + prefix + "]";
    }
}
