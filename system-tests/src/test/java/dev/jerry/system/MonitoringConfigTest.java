package dev.jerry.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Prometheus's scrape configuration and alerts, Grafana's provisioning and dashboard. */
class MonitoringConfigTest {
    static final String PROMETHEUS_CONFIG = "configs/prometheus/prometheus.yml";
    private static final String DASHBOARDS = "configs/grafana/dashboards";
    private static final Pattern METRIC = Pattern.compile("\\b(jerry_[a-z_]+?)(_bucket|_count|_sum)?\\b");

    private final ComposeFile compose = ComposeFile.load();

    @Test
    void should_scrape_every_jerry_service_with_its_own_token() {
        // given
        Map<String, Object> config = yaml(PROMETHEUS_CONFIG);
        List<String> scraped = new ArrayList<>();

        // when
        for (Object raw : (List<?>) config.get("scrape_configs")) {
            Map<String, Object> job = ComposeFile.map(raw);
            List<String> targets = new ArrayList<>();
            for (Object staticConfig : (List<?>) job.get("static_configs")) {
                targets.addAll(ComposeFile.strings(ComposeFile.map(staticConfig).get("targets")));
            }
            for (String target : targets) {
                String host = target.substring(0, target.indexOf(':'));
                if (!compose.services().containsKey(host)
                        || !compose.service(host).isJava()) {
                    continue;
                }
                ComposeFile.Service service = compose.service(host);
                String port = service.environment().entrySet().stream()
                        .filter(e -> e.getKey().matches("JERRY_[A-Z]+_PORT"))
                        .map(Map.Entry::getValue)
                        .findFirst()
                        .orElseThrow();
                assertThat(target).as("job " + job.get("job_name")).isEqualTo(host + ":" + port);
                Map<String, Object> authorization = ComposeFile.map(job.get("authorization"));
                assertThat(authorization.get("credentials_file"))
                        .as("job " + job.get("job_name") + " presents a token from a file")
                        .asString()
                        .startsWith("/run/secrets/prometheus_to_");
                assertThat(service.environment()).containsEntry("JERRY_AUTH_PROTECT_OPS", "true");
                scraped.add(host);
            }
        }

        // then: every Jerry service that listens (not the ingestion job)
        List<String> listening = compose.javaServices().stream()
                .filter(s -> !s.isOneShot())
                .map(ComposeFile.Service::name)
                .toList();
        assertThat(scraped).containsExactlyInAnyOrderElementsOf(listening).hasSize(4);
    }

    @Test
    void should_load_alert_rules_that_each_have_an_expression() {
        // given
        Map<String, Object> config = yaml(PROMETHEUS_CONFIG);
        List<String> rules = new ArrayList<>();

        // when
        for (String file : ComposeFile.strings(config.get("rule_files"))) {
            Map<String, Object> alerts = yaml("configs/prometheus/" + file);
            for (Object group : (List<?>) alerts.get("groups")) {
                for (Object rule : (List<?>) ComposeFile.map(group).get("rules")) {
                    Map<String, Object> r = ComposeFile.map(rule);
                    assertThat(r).containsKeys("alert", "expr");
                    assertThat(String.valueOf(r.get("expr"))).isNotBlank();
                    rules.add(String.valueOf(r.get("alert")));
                }
            }
        }

        // then
        assertThat(rules).hasSizeGreaterThanOrEqualTo(4).doesNotHaveDuplicates();
    }

    @Test
    void should_provision_the_prometheus_data_source_and_the_dashboards_grafana_mounts() {
        Map<String, Object> datasources = yaml("configs/grafana/provisioning/datasources/prometheus.yml");
        Map<String, Object> source = ComposeFile.map(((List<?>) datasources.get("datasources")).getFirst());
        assertThat(source).containsEntry("type", "prometheus").containsEntry("url", "http://prometheus:9090");

        Map<String, Object> providers = yaml("configs/grafana/provisioning/dashboards/jerry.yml");
        Map<String, Object> provider = ComposeFile.map(((List<?>) providers.get("providers")).getFirst());
        String path = String.valueOf(ComposeFile.map(provider.get("options")).get("path"));
        assertThat(compose.service("grafana").volumes())
                .contains("./" + DASHBOARDS + ":" + path + ":ro,z")
                .contains("./configs/grafana/provisioning:/etc/grafana/provisioning:ro,z");
    }

    @Test
    void should_chart_documented_metrics_from_the_provisioned_data_source() throws IOException {
        // given
        String uid = String.valueOf(
                ComposeFile.map(((List<?>) yaml("configs/grafana/provisioning/datasources/prometheus.yml")
                                        .get("datasources"))
                                .getFirst())
                        .get("uid"));
        JsonNode dashboard = new ObjectMapper()
                .readTree(Repo.path(DASHBOARDS + "/jerry.json").toFile());
        List<String> expressions = new ArrayList<>();

        // when
        for (JsonNode panel : dashboard.get("panels")) {
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            assertThat(panel.path("datasource").path("uid").asText())
                    .as(panel.path("title").asText())
                    .isEqualTo(uid);
            assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
            panel.path("targets").forEach(t -> expressions.add(t.path("expr").asText()));
        }

        // then
        assertThat(dashboard.path("uid").asText()).isNotBlank();
        assertThat(expressions).hasSizeGreaterThanOrEqualTo(20).allMatch(e -> !e.isBlank());
        assertThat(undocumentedMetrics(expressions))
                .as("metrics the dashboard charts but docs/operations.md lacks")
                .isEmpty();
    }

    @Test
    void should_alert_on_documented_metrics() {
        String alerts = Repo.read("configs/prometheus/alerts.yml");
        assertThat(undocumentedMetrics(List.of(alerts))).isEmpty();
        assertThat(METRIC.matcher(alerts).results().count()).isGreaterThanOrEqualTo(2);
    }

    /** Metric names (with a literal service) that docs/operations.md's metric table does not list. */
    private static Set<String> undocumentedMetrics(List<String> texts) {
        String operations = Repo.read("docs/operations.md");
        Set<String> missing = new TreeSet<>();
        for (String text : texts) {
            Matcher m = METRIC.matcher(text);
            while (m.find()) {
                // names over all services ("jerry_[a-z]+_...") do not match: they stand for jerry_<service>_...
                if (!operations.contains("`" + m.group(1) + "`")) {
                    missing.add(m.group(1));
                }
            }
        }
        return missing;
    }

    private static Map<String, Object> yaml(String file) {
        return ComposeFile.map(new Yaml(new SafeConstructor(new LoaderOptions())).load(Repo.read(file)));
    }
}
