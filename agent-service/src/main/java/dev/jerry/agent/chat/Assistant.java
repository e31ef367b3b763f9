package dev.jerry.agent.chat;

import dev.langchain4j.service.Result;
import dev.langchain4j.service.UserMessage;

/** Jerry as a LangChain4j AI service; its system message comes from {@link Agent#SYSTEM_PROMPT}. */
interface Assistant {
    Result<String> chat(@UserMessage String message);
}
