// The official OpenAI Node SDK against model-service's /v1 API. Run by ClientCompatibilityIT.
import OpenAI from "openai";
import { env, run, done, readChatStream } from "./common.mjs";

const client = new OpenAI({ baseURL: env.baseUrl + "/v1", apiKey: env.token, maxRetries: 0, timeout: 60_000 });
const chat = { model: env.chatModel, max_tokens: 8, seed: 1, temperature: 0 };
const messages = [{ role: "user", content: "Say hi" }];

await run("models", async () => (await client.models.list()).data.map((m) => m.id));

await run("chat", async () => {
  const r = await client.chat.completions.create({ ...chat, messages });
  return { object: r.object, content: r.choices[0].message.content, finish_reason: r.choices[0].finish_reason, usage: r.usage };
});

await run("chat_stream", async () => {
  const stream = await client.chat.completions.create({ ...chat, messages, stream: true, stream_options: { include_usage: true } });
  const { last, ...read } = await readChatStream(stream);
  return read;
});

await run("chat_tools", async () => {
  const r = await client.chat.completions.create({
    ...chat,
    // upstream llama-server's JSON grammar allows up to 20 blanks between tokens and a random-weight model uses
    // them: room enough that the bounded output always closes
    max_tokens: 512,
    messages: [{ role: "user", content: "What is the weather in Paris?" }],
    tools: [{
      type: "function",
      function: {
        name: "get_weather",
        description: "The weather in a city",
        parameters: { type: "object", properties: { city: { type: "string", enum: ["Paris", "Oslo"] } }, required: ["city"], additionalProperties: false },
      },
    }],
    tool_choice: "required",
  });
  const call = r.choices[0].message.tool_calls?.[0];
  return { finish_reason: r.choices[0].finish_reason, name: call?.function?.name, arguments: call ? JSON.parse(call.function.arguments) : null };
});

await run("chat_json_schema", async () => {
  const r = await client.chat.completions.create({
    ...chat,
    max_tokens: 256, // bounded by the schema's grammar (see chat_tools)
    messages: [{ role: "user", content: "Is the sky blue? Answer in JSON." }],
    response_format: {
      type: "json_schema",
      json_schema: { name: "answer", schema: { type: "object", properties: { ok: { type: "boolean" } }, required: ["ok"], additionalProperties: false } },
    },
  });
  return { parsed: JSON.parse(r.choices[0].message.content) };
});

await run("completion", async () => {
  const r = await client.completions.create({ ...chat, prompt: "Once upon a time" });
  return { object: r.object, text: r.choices[0].text, finish_reason: r.choices[0].finish_reason, usage: r.usage };
});

await run("completion_stream", async () => {
  const stream = await client.completions.create({ ...chat, prompt: "Once upon a time", stream: true, stream_options: { include_usage: true } });
  let chunks = 0, text = "", finish = null, usage = null;
  for await (const chunk of stream) {
    chunks++;
    if (chunk.choices.length > 0) {
      text += chunk.choices[0].text ?? "";
      finish = chunk.choices[0].finish_reason ?? finish;
    }
    usage = chunk.usage ?? usage;
  }
  return { chunks, text, finish_reason: finish, usage, ended: true };
});

const lengths = (r) => r.data.map((d) => d.embedding.length);
const finite = (r) => r.data.every((d) => Array.from(d.embedding).every(Number.isFinite));
await run("embedding_default", async () => {
  const r = await client.embeddings.create({ model: env.embeddingModel, input: "hello world" });
  return { lengths: lengths(r), finite: finite(r) };
});
await run("embedding_default_batch", async () => {
  const r = await client.embeddings.create({ model: env.embeddingModel, input: ["one", "two", "three"] });
  return { lengths: lengths(r), finite: finite(r) };
});
await run("embedding_float", async () => {
  const r = await client.embeddings.create({ model: env.embeddingModel, input: "hello world", encoding_format: "float" });
  return { lengths: lengths(r), first: r.data[0].embedding.slice(0, 4) };
});
await run("embedding_float_batch", async () => {
  const r = await client.embeddings.create({ model: env.embeddingModel, input: ["one", "two"], encoding_format: "float" });
  return { lengths: lengths(r) };
});
await run("embedding_base64_first", async () => {
  const r = await client.embeddings.create({ model: env.embeddingModel, input: "hello world" });
  return { first: Array.from(r.data[0].embedding.slice(0, 4)) };
});

await run("error_unknown_model", () => client.chat.completions.create({ ...chat, model: "no-such-model", messages }));
await run("error_bad_body", () => client.chat.completions.create({ ...chat, messages: [] }));
await run("error_bad_encoding", () => client.embeddings.create({ model: env.embeddingModel, input: "x", encoding_format: "hex" }));
await run("error_mid_stream", async () => {
  const stream = await client.chat.completions.create({ ...chat, model: env.brokenModel, messages, stream: true });
  return await readChatStream(stream);
});
await run("error_unauthorized", () =>
  new OpenAI({ baseURL: env.baseUrl + "/v1", apiKey: "wrong-token", maxRetries: 0 }).models.list());

done();
