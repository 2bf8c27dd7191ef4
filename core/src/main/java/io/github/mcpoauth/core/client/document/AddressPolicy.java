package io.github.mcpoauth.core.client.document;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Decides which network addresses the server may connect to when it fetches a client ID metadata document. Every
 * address the document's host resolves to is checked, and the connection is then made to a checked address, never
 * to the name again, so a second DNS answer cannot steer it elsewhere.
 *
 * <p>The default, {@link #publicOnly()}, refuses every special-use address (RFC 6890): loopback, private,
 * link-local (including the cloud metadata address {@code 169.254.169.254}), carrier-grade NAT, multicast,
 * unspecified, documentation and reserved ranges, and IPv6 forms that embed or tunnel to them. The draft forbids
 * fetching from such addresses in production; a development setup whose clients serve their documents from the
 * same machine may allow loopback explicitly:
 *
 * <pre>{@code
 * AddressPolicy devOnly = address -> address.isLoopbackAddress() || AddressPolicy.publicOnly().permits(address);
 * }</pre>
 *
 * <p>A policy that throws is treated as refusing the address.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-ietf-oauth-client-id-metadata-document">
 *     Client ID Metadata Document, Security Considerations: SSRF attacks</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6890">RFC 6890, special-purpose IP address registries</a>
 */
@FunctionalInterface
public interface AddressPolicy {

    /** Whether the server may connect to {@code address}. */
    boolean permits(InetAddress address);

    /** Permits only globally routable unicast addresses: the production default. */
    static AddressPolicy publicOnly() {
        return PublicAddresses.INSTANCE;
    }

    /**
     * Resolves the host name of a client ID metadata document URL to the addresses the server may connect to. Every
     * address returned is checked by the {@link AddressPolicy}; the connection goes to one of them, never to the name.
     * IP literals in the URL are not passed here: they are their own address.
     *
     * <p>The default, {@link #system()}, uses the JVM resolver (cached by its {@code networkaddress.cache.ttl}); a host
     * wanting its own DNS supplies another resolver. Tests use one that maps names to fixed addresses. A lookup runs on
     * a pool of at most {@code maxConcurrentFetches} threads and the fetch gives up on it when the fetch's timeout
     * passes; the JVM resolver cannot be interrupted, so its thread stays busy until the lookup ends, and while every
     * thread is busy new fetches are refused rather than queued.
     */
    @FunctionalInterface
    interface HostResolver {

        /**
         * The addresses of {@code host}, a DNS name without brackets or port.
         *
         * @throws UnknownHostException if the name does not resolve
         */
        List<InetAddress> resolve(String host) throws UnknownHostException;

        /** The JVM's resolver, {@link InetAddress#getAllByName(String)}. */
        static HostResolver system() {
            return host -> List.of(InetAddress.getAllByName(host));
        }
    }
}
