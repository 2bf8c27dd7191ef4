package io.github.mcpoauth.servlet.internal.limit;

import io.github.mcpoauth.core.internal.error.Printable;
import io.github.mcpoauth.core.internal.net.AddressBlock;
import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reverse proxies whose {@code X-Forwarded-For} the server believes, and the client address that follows from
 * it. Without trusted proxies (the default) the client address is the connection's peer,
 * {@link HttpServletRequest#getRemoteAddr()}, and {@code X-Forwarded-For} is ignored: anyone can write that header.
 *
 * <p>With trusted proxies, when the peer is one of them, {@code X-Forwarded-For} is read from right to left,
 * skipping trusted proxies; the first address that is not one is the client. Entries left of it were written by the
 * client and are never believed. If the container already rewrites the remote address from forwarding headers
 * (e.g. Jetty's {@code ForwardedRequestCustomizer}, Tomcat's {@code RemoteIpValve}), configure no proxies here.
 *
 * <p>Addresses are IP literals only (never resolved through DNS). An IPv6 client is keyed by its /64 network, the
 * smallest block one subscriber usually holds.
 */
public final class TrustedProxies {

    private static final int MAX_HOPS = 20;
    private static final Pattern IPV4 = Pattern.compile(
            "(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(?::\\d{1,5})?");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");
    private static final Pattern BRACKETED = Pattern.compile("\\[([^\\]]+)\\](?::\\d{1,5})?");

    private static final TrustedProxies NONE = new TrustedProxies(List.of(), List.of());

    private final List<AddressBlock> ranges;
    private final List<String> spec;

    private TrustedProxies(List<AddressBlock> ranges, List<String> spec) {
        this.ranges = ranges;
        this.spec = spec;
    }

    /** No trusted proxy: the connection's peer is the client (the default). */
    public static TrustedProxies none() {
        return NONE;
    }

    /**
     * Proxies given as IP addresses or CIDR ranges, e.g. {@code "10.0.0.0/8"}, {@code "192.168.1.7"},
     * {@code "::1"}, {@code "fd00::/8"}.
     *
     * @throws IllegalArgumentException naming an entry that is not an IP literal or CIDR range
     */
    public static TrustedProxies of(String... addressesOrRanges) {
        return of(Arrays.asList(Objects.requireNonNull(addressesOrRanges, "trustedProxies")));
    }

    /** Same as {@link #of(String...)} from a collection (e.g. read from configuration). */
    public static TrustedProxies of(Collection<String> addressesOrRanges) {
        Objects.requireNonNull(addressesOrRanges, "trustedProxies");
        List<AddressBlock> ranges = new ArrayList<>();
        List<String> spec = new ArrayList<>();
        for (String entry : addressesOrRanges) {
            if (entry == null || entry.isBlank()) {
                throw new IllegalArgumentException("trustedProxies: an entry is empty");
            }
            String e = entry.trim();
            int slash = e.indexOf('/');
            byte[] address = parse(slash < 0 ? e : e.substring(0, slash));
            if (address == null) {
                throw new IllegalArgumentException("trustedProxies: not an IP address or CIDR range: " + e);
            }
            int bits = address.length * 8;
            if (slash >= 0) {
                try {
                    bits = Integer.parseInt(e.substring(slash + 1));
                } catch (NumberFormatException nfe) {
                    bits = -1;
                }
                if (bits < 0 || bits > address.length * 8) {
                    throw new IllegalArgumentException("trustedProxies: bad prefix length in " + e);
                }
            }
            ranges.add(AddressBlock.of(address, bits));
            spec.add(e);
        }
        return new TrustedProxies(List.copyOf(ranges), List.copyOf(spec));
    }

    /** Whether {@code address} (an IP literal) is a trusted proxy. */
    public boolean trusts(String address) {
        byte[] a = parse(address);
        return a != null && ranges.stream().anyMatch(r -> r.contains(a));
    }

    /**
     * The address of the client that sent {@code request}, as a key for rate limits: an IPv4 address, an IPv6 /64
     * network ({@code 2001:db8:0:1::/64}), or, for an entry a trusted proxy forwarded that is no IP literal, that
     * entry cut to 64 printable characters.
     */
    public String clientAddress(HttpServletRequest request) {
        String peer = request.getRemoteAddr();
        if (ranges.isEmpty() || !trusts(peer)) {
            return key(peer);
        }
        List<String> hops = new ArrayList<>();
        for (String header : Collections.list(request.getHeaders("X-Forwarded-For"))) {
            for (String hop : header.split(",")) {
                hops.add(hop.trim());
            }
        }
        String client = peer;
        for (int i = hops.size() - 1, seen = 0; i >= 0 && seen < MAX_HOPS; i--, seen++) {
            String hop = hops.get(i);
            if (hop.isEmpty()) {
                continue;
            }
            client = hop;
            if (!trusts(hop)) {
                break;
            }
        }
        return key(client);
    }

    private static String key(String address) {
        byte[] a = parse(address);
        if (a == null) {
            return Printable.visible(address == null ? "" : address, 64);
        }
        if (a.length == 4) {
            return (a[0] & 0xFF) + "." + (a[1] & 0xFF) + "." + (a[2] & 0xFF) + "." + (a[3] & 0xFF);
        }
        return String.format(Locale.ROOT, "%x:%x:%x:%x::/64", group(a, 0), group(a, 2), group(a, 4), group(a, 6));
    }

    private static int group(byte[] a, int i) {
        return ((a[i] & 0xFF) << 8) | (a[i + 1] & 0xFF);
    }

    /** The bytes of an IP literal (4 for IPv4 and IPv4-mapped IPv6, else 16), or {@code null}; never uses DNS. */
    static byte[] parse(String literal) {
        if (literal == null || literal.isEmpty() || literal.length() > 64) {
            return null;
        }
        String s = literal.trim();
        Matcher bracketed = BRACKETED.matcher(s);
        if (bracketed.matches()) {
            s = bracketed.group(1);
        }
        int zone = s.indexOf('%');
        if (zone >= 0) {
            s = s.substring(0, zone);
        }
        Matcher v4 = IPV4.matcher(s);
        if (v4.matches()) {
            byte[] b = new byte[4];
            for (int i = 0; i < 4; i++) {
                int octet = Integer.parseInt(v4.group(i + 1));
                if (octet > 255) {
                    return null;
                }
                b[i] = (byte) octet;
            }
            return b;
        }
        if (s.indexOf(':') < 0 || !IPV6_CHARS.matcher(s).matches()) {
            return null;
        }
        try {
            // With a ':' and only hex digits, ':' and '.', this is parsed as an IPv6 literal, never looked up.
            return InetAddress.getByName(s).getAddress();
        } catch (UnknownHostException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "TrustedProxies" + spec.toString().toLowerCase(Locale.ROOT);
    }
}
