package io.github.mcpoauth.core.client.document;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

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
public interface HostResolver {

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
