package io.github.mcpoauth.core.client.document;

import io.github.mcpoauth.core.client.document.AddressPolicy.HostResolver;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link HostResolver} answering from a table, recording every name it was asked. */
final class FakeResolver implements HostResolver {

    private final Map<String, List<InetAddress>> table = new ConcurrentHashMap<>();
    final List<String> asked = new CopyOnWriteArrayList<>();

    /** Maps {@code host} to {@code literals}, IP address literals. */
    FakeResolver map(String host, String... literals) {
        table.put(host, java.util.Arrays.stream(literals).map(FakeResolver::literal).toList());
        return this;
    }

    FakeResolver map(String host, InetAddress... addresses) {
        table.put(host, List.of(addresses));
        return this;
    }

    @Override
    public List<InetAddress> resolve(String host) throws UnknownHostException {
        asked.add(host);
        List<InetAddress> addresses = table.get(host);
        if (addresses == null) {
            throw new UnknownHostException(host);
        }
        return addresses;
    }

    static InetAddress literal(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}
