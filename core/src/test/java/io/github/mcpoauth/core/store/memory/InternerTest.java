package io.github.mcpoauth.core.store.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mcpoauth.core.store.Grant;
import io.github.mcpoauth.core.store.testkit.TestGrants;
import java.util.List;
import org.junit.jupiter.api.Test;

class InternerTest {

    @Test
    void whenGrantsRepeatScopesAndResourcesThenTheyShareOneInstanceAndStayEqual() {
        Interner interner = new Interner(16);
        Grant first = TestGrants.grant().scopes(new String("mcp")).build();
        Grant second = TestGrants.grant().scopes(new String("mcp"))
                .resources(new String(first.resources().get(0).toString())).build();

        Grant a = interner.compact(first);
        Grant b = interner.compact(second);

        assertThat(a).isEqualTo(first);
        assertThat(b).isEqualTo(second);
        assertThat(b.scopes()).isSameAs(a.scopes());
        assertThat(b.resources()).isSameAs(a.resources());
    }

    @Test
    void whenTheTableIsFullThenNewValuesAreKeptAsTheyCome() {
        Interner interner = new Interner(2);
        interner.intern(List.of("a"));
        interner.intern(List.of("b"));
        List<String> c = List.of("c");

        assertThat(interner.intern(c)).isSameAs(c);
        assertThat(interner.intern(List.of("c"))).isNotSameAs(c);
        assertThat(interner.intern(List.of("a"))).isEqualTo(List.of("a"));
    }
}
