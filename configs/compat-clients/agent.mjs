// The official OpenAI Node SDK against agent-service's /v1 (Jerry's agent as OpenAI models). Run by agent-service's
// OpenAiCompatibleIT over a knowledge base filled by the ingestion job.
import OpenAI from "openai";
import { env, run, done, readChatStream } from "./common.mjs";

const client = new OpenAI({ baseURL: env.baseUrl + "/v1", apiKey: env.token, maxRetries: 0, timeout: 60_000 });
const messages = [{ role: "user", content: env.question }];

await run("models", async () => (await client.models.list()).data.map((m) => m.id));

await run("chat", async () => {
  const r = await client.chat.completions.create({ model: env.chatModel, messages });
  return {
    object: r.object,
    model: r.model,
    content: r.choices[0].message.content,
    finish_reason: r.choices[0].finish_reason,
    usage: r.usage,
    jerry_sources: r.jerry_sources ?? null,
  };
});

await run("chat_stream", async () => {
  const stream = await client.chat.completions.create({ model: env.chatModel, messages, stream: true, stream_options: { include_usage: true } });
  const { last, ...read } = await readChatStream(stream);
  return { ...read, jerry_sources: last?.jerry_sources ?? null };
});

await run("error_unknown_model", () => client.chat.completions.create({ model: "gpt-4", messages }));
await run("error_no_user_message", () =>
  client.chat.completions.create({ model: env.chatModel, messages: [{ role: "assistant", content: "Hello" }] }));

done();
