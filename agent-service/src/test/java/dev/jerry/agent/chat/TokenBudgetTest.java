package dev.jerry.agent.chat;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenBudgetTest {

    @Test
    void should_learn_a_lower_ratio_at_once_and_a_higher_one_slowly() {
        // given
        TokenBudget budget = new TokenBudget();

        // when: model-service counts 1,000 characters as 1,000 tokens (a byte-level tokenizer)
        budget.observed(1_000, 1_000);

        // then
        assertThat(budget.charsPerToken()).isEqualTo(1.0);

        // when: then as 250 tokens (a chat model's tokenizer)
        budget.observed(1_000, 250);

        // then: a quarter of the way
        assertThat(budget.charsPerToken()).isEqualTo(1.75);
    }

    @Test
    void should_take_the_context_and_the_ratio_from_an_overflow() {
        // given
        TokenBudget budget = new TokenBudget();
        var overflow = TokenBudget.Overflow.in(
                "the language model could not answer: the prompt is 1044 tokens; the context of model 'tiny' holds"
                        + " 1024 tokens");

        // when
        budget.overflowed(522, overflow.orElseThrow());

        // then
        assertThat(budget.contextTokens()).isEqualTo(1024);
        assertThat(budget.charsPerToken()).isEqualTo(0.5);
        assertThat(budget.promptTokens(false)).isEqualTo((int) ((1024 - 256) * 0.9));
        assertThat(budget.promptTokens(true)).isEqualTo(budget.promptTokens(false) / 2);
        assertThat(TokenBudget.Overflow.in("the queue is full")).isEmpty();
    }
}
