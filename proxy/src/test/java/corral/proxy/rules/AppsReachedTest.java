package corral.proxy.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which apps a vhost server's health answers for: the proxy_pass targets of the server nginx picks for the Host. */
class AppsReachedTest {

    @TempDir
    Path dir;

    @Test
    void theServerPickedForTheHostAnswersForItsProxyPassTargets() {
        VhostConfig config = Rules.load(dir, """
                server { listen 8080 default_server; server_name _;
                    location /nuomi/ { proxy_pass http://nuomi; }
                    location ~ ^/h5/ { proxy_pass http://h5; }
                    location = /ok { return 200 ok; } }
                server { listen 8080; server_name h5.test *.h5.test; rewrite ^/m/(.*)$ /h5/$1 last;
                    location /h5/ { proxy_pass http://h5; } }
                server { listen 8080; server_name ~^(?<who>api)\\.test$; location / { proxy_pass http://api; } }
                server { listen 8080; server_name static.test; location / { return 200 static; } }
                server { listen 9090; server_name h5.test; location / { proxy_pass http://nuomi; } }
                """);

        assertEquals(Set.of("h5", "nuomi"), config.appsReached(8080, null), "no Host: the default server");
        assertEquals(Set.of("h5", "nuomi"), config.appsReached(8080, "other.test"));
        assertEquals(Set.of("h5"), config.appsReached(8080, "H5.test:8080"));
        assertEquals(Set.of("h5"), config.appsReached(8080, "www.h5.test"));
        assertEquals(Set.of("api"), config.appsReached(8080, "api.test"), "a regex name, captures nowhere to go");
        assertEquals(Set.of(), config.appsReached(8080, "static.test"));
        assertEquals(Set.of("h5", "nuomi"), config.appsReached(8080, "bad..host"), "an invalid Host: the default server");
        assertEquals(Set.of("nuomi"), config.appsReached(9090, "h5.test"), "servers are chosen per port");
        assertEquals(Set.of(), config.appsReached(7070, null), "no server listens there");
    }
}
