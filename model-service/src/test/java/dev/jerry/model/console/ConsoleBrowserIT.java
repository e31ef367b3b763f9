package dev.jerry.model.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jerry.model.tasks.FleetUnderTest;
import dev.jerry.testing.OllamaDouble;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The admin console in a real headless Chromium, over model-service in front of three Ollama doubles. */
class ConsoleBrowserIT {
    @TempDir
    Path dir;

    private FleetUnderTest fleet;

    @BeforeEach
    void fleet() {
        fleet = new FleetUnderTest(dir);
    }

    private ChromeDriver browser;

    @AfterEach
    void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        fleet.close();
    }

    private static By cell(String node, String model) {
        return By.cssSelector("td.cell[data-node='" + node + "'][data-model='" + model + "']");
    }

    private String stateOf(String node, String model) {
        List<WebElement> found = browser.findElements(cell(node, model));
        return found.isEmpty() ? "absent" : found.getFirst().getAttribute("data-state");
    }

    private WebDriverWait waiting(Duration atMost) {
        WebDriverWait wait = new WebDriverWait(browser, atMost, Duration.ofMillis(50));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return wait;
    }

    @Test
    void should_show_the_nodes_models_and_follow_a_distribution_started_from_the_page_to_present() {
        // given
        fleet.node("small", 4).withModel("llama3.2:1b");
        OllamaDouble medium = fleet.node("medium", 8)
                .withModel("llama3.2:3b")
                .pullable("qwen2.5:0.5b")
                .pullStepDelay(Duration.ofMillis(600));
        fleet.node("large", 16).withModel("llama3.2:3b").withModel("llama3.1:8b");
        fleet.start();
        browser = HeadlessChromium.start(dir);
        String small = fleet.name("small");
        String mediumName = fleet.name("medium");
        String large = fleet.name("large");

        // when: the token is typed once
        browser.get(fleet.baseUrl().resolve("/console").toString());
        waiting(Duration.ofSeconds(10)).until(d -> d.findElement(By.id("token")).isDisplayed());
        browser.findElement(By.id("token")).sendKeys(FleetUnderTest.TOKEN);
        browser.findElement(By.id("login-button")).click();

        // then: the matrix shows what each node holds
        waiting(Duration.ofSeconds(15)).until(d -> "present".equals(stateOf(large, "llama3.1:8b")));
        assertThat(stateOf(small, "llama3.2:1b")).isEqualTo("present");
        assertThat(stateOf(small, "llama3.2:3b")).isEqualTo("missing");
        assertThat(stateOf(mediumName, "llama3.2:3b")).isEqualTo("present");
        assertThat(stateOf(mediumName, "llama3.1:8b")).isEqualTo("missing");
        assertThat(browser.findElement(By.cssSelector("tr[data-node='" + small + "'] [data-health]"))
                        .getAttribute("data-health"))
                .isEqualTo("online");

        // when: a distribution is started from the page
        browser.findElement(By.id("distribute-model")).sendKeys("qwen2.5:0.5b");
        new Select(browser.findElement(By.id("distribute-node"))).selectByValue(mediumName);
        browser.findElement(By.id("distribute-button")).click();

        // then: its progress bar moves, and the cell ends present
        List<String> percents = new ArrayList<>();
        waiting(Duration.ofSeconds(30)).until(d -> {
            String state = stateOf(mediumName, "qwen2.5:0.5b");
            if ("downloading".equals(state)) {
                String percent = d.findElement(cell(mediumName, "qwen2.5:0.5b"))
                        .findElement(By.cssSelector(".bar"))
                        .getAttribute("data-percent");
                if (percents.isEmpty() || !percents.getLast().equals(percent)) {
                    percents.add(percent);
                }
            }
            return "present".equals(state);
        });
        assertThat(percents).as("the progress bar while downloading").hasSizeGreaterThanOrEqualTo(2);
        assertThat(percents.stream().mapToInt(Integer::parseInt)).isSorted();
        assertThat(medium.has("qwen2.5:0.5b")).isTrue();
        assertThat(stateOf(small, "qwen2.5:0.5b")).isEqualTo("missing");
        assertThat(browser.findElements(By.cssSelector("#tasks tr[data-state='done']")))
                .hasSize(1);

        // and: the token is kept for the browser session, and nothing was loaded from elsewhere
        browser.navigate().refresh();
        waiting(Duration.ofSeconds(10)).until(d -> "present".equals(stateOf(mediumName, "qwen2.5:0.5b")));
        assertThat(browser.findElement(By.id("login")).isDisplayed()).isFalse();
        Object foreign = ((JavascriptExecutor) browser)
                .executeScript("return performance.getEntriesByType('resource').map(e => e.name)"
                        + ".filter(n => !n.startsWith(location.origin)).length");
        assertThat(foreign).isEqualTo(0L);
    }

    @Test
    void should_ask_for_the_token_again_when_model_service_refuses_it() {
        // given
        fleet.node("small", 4).withModel("llama3.2:1b");
        fleet.start();
        browser = HeadlessChromium.start(dir);
        WebDriver page = browser;
        page.get(fleet.baseUrl().resolve("/console").toString());
        waiting(Duration.ofSeconds(10)).until(d -> d.findElement(By.id("token")).isDisplayed());

        // when
        page.findElement(By.id("token")).sendKeys("not-the-token-0123456789");
        page.findElement(By.id("login-button")).click();

        // then
        waiting(Duration.ofSeconds(10))
                .until(d -> d.findElement(By.id("login-error")).getText().contains("did not accept"));
        assertThat(page.findElement(By.id("main")).isDisplayed()).isFalse();
    }
}
