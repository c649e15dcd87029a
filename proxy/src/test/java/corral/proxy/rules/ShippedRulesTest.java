package corral.proxy.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import corral.proxy.rules.RouteDecision.HeaderSet;
import corral.proxy.rules.RouteDecision.Proxy;
import corral.proxy.rules.RouteDecision.Redirect;
import corral.proxy.rules.RouteDecision.Respond;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shipped conf/vhost rules load with the shipped pm2.json apps and route as intended. */
class ShippedRulesTest {

    /** Maven runs the tests in the module directory. */
    static final Path SHIPPED = Path.of("..", "conf", "vhost");

    private static VhostConfig config;

    @BeforeAll
    static void load() throws RulesException {
        config = VhostLoader.load(SHIPPED, Set.of("nuomi", "h5"));
    }

    private static RouteDecision get(String target) {
        return Rules.get(config, "www.example.com", target);
    }

    @Test
    void listensOn8080() {
        assertEquals(List.of(8080), config.listenPorts());
    }

    @Test
    void componentTrafficGoesToNuomiAndPagesToH5() {
        assertEquals("nuomi", ((Proxy) get("/nuomi/list?page=2")).app());
        assertEquals("nuomi", ((Proxy) get("/component/card.js")).app());
        assertEquals("h5", ((Proxy) get("/h5/index")).app());
    }

    @Test
    void mobileLinksAreRewrittenToH5Pages() {
        Proxy p = (Proxy) get("/m/shop/42?from=sms");
        assertEquals(new Proxy("h5", "/h5/page/shop/42?from=sms", List.of(
                new HeaderSet("Host", "www.example.com"),
                new HeaderSet("X-Real-IP", "127.0.0.1"),
                new HeaderSet("X-Forwarded-For", "127.0.0.1"))), p);
    }

    @Test
    void ngxOkAnswersOk() {
        assertEquals(new Respond(200, "ok", "text/plain"), get("/ngx-ok"));
    }

    @Test
    void poolPrefixWithoutSlashIsRedirected() {
        assertEquals(new Redirect(301, "http://www.example.com:8080/h5/"), get("/h5"));
    }

    @Test
    void anythingElseIsNotFound() {
        assertEquals(404, ((Respond) get("/elsewhere")).status());
    }
}
