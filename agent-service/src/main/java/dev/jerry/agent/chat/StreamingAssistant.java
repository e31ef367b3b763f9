package dev.jerry.agent.chat;

import dev.langchain4j.service.TokenStream;
import dev.langchain4j.service.UserMessage;

/** Jerry as a streaming LangChain4j AI service. */
interface StreamingAssistant {
    TokenStream chat(@UserMessage String message);
}
