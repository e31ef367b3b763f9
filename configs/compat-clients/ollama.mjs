// The official Ollama JavaScript library against model-service's /api. Run by ClientCompatibilityIT.
import { Ollama } from "ollama";
import { env, run, done } from "./common.mjs";

const ollama = new Ollama({ host: env.baseUrl, headers: { Authorization: "Bearer " + env.token } });
const options = { temperature: 0, seed: 1, num_predict: 8 };
const messages = [{ role: "user", content: "Say hi" }];
const entry = (m) => ({ name: m.name, size: m.size, digest: m.digest, modified_at: m.modified_at, expires_at: m.expires_at, details: m.details });

await run("version", async () => (await ollama.version()).version);
await run("tags", async () => (await ollama.list()).models.map(entry));
await run("show", async () => {
  const r = await ollama.show({ model: env.chatModel });
  return { details: r.details, model_info: r.model_info, capabilities: r.capabilities, modified_at: r.modified_at };
});
await run("ps", async () => (await ollama.ps()).models.map(entry));

await run("chat", async () => {
  const r = await ollama.chat({ model: env.chatModel, messages, options, stream: false });
  return { done: r.done, done_reason: r.done_reason, role: r.message.role, content: r.message.content, eval_count: r.eval_count, prompt_eval_count: r.prompt_eval_count };
});
await run("chat_stream", async () => {
  let parts = 0, last = null, text = "";
  for await (const part of await ollama.chat({ model: env.chatModel, messages, options, stream: true })) {
    parts++;
    text += part.message.content;
    last = part;
  }
  return { parts, text, done: last.done, done_reason: last.done_reason, eval_count: last.eval_count };
});
await run("chat_format", async () => {
  const r = await ollama.chat({
    model: env.chatModel,
    messages: [{ role: "user", content: "Is the sky blue? Answer in JSON." }],
    options: { ...options, num_predict: 256 }, // bounded by the schema's grammar: room for its blanks
    format: { type: "object", properties: { ok: { type: "boolean" } }, required: ["ok"], additionalProperties: false },
    stream: false,
  });
  return { parsed: JSON.parse(r.message.content) };
});
await run("generate", async () => {
  const r = await ollama.generate({ model: env.chatModel, prompt: "Once upon a time", options, stream: false });
  return { done: r.done, response: r.response, done_reason: r.done_reason };
});
await run("generate_stream", async () => {
  let parts = 0, last = null;
  for await (const part of await ollama.generate({ model: env.chatModel, prompt: "Once upon a time", options, stream: true })) {
    parts++;
    last = part;
  }
  return { parts, done: last.done, done_reason: last.done_reason };
});

await run("embed", async () => (await ollama.embed({ model: env.embeddingModel, input: "hello world" })).embeddings.map((e) => e.length));
await run("embed_batch", async () => (await ollama.embed({ model: env.embeddingModel, input: ["one", "two", "three"] })).embeddings.map((e) => e.length));
await run("embeddings_legacy", async () => (await ollama.embeddings({ model: env.embeddingModel, prompt: "hello world" })).embedding.length);

await run("pull", async () => {
  const statuses = [];
  for await (const progress of await ollama.pull({ model: env.nodeModel, stream: true })) {
    statuses.push(progress.status);
  }
  return statuses;
});
await run("pull_new", async () => {
  const lines = [];
  for await (const progress of await ollama.pull({ model: env.pullableModel, stream: true })) {
    lines.push(progress);
  }
  return { statuses: lines.map((l) => l.status), largest_completed: Math.max(0, ...lines.map((l) => l.completed ?? 0)), total: lines.find((l) => l.total)?.total ?? 0 };
});
await run("error_pull_unknown", async () => {
  for await (const progress of await ollama.pull({ model: "no-such-model", stream: true })) {
    void progress;
  }
});
await run("copy", async () => (await ollama.copy({ source: env.nodeModel, destination: env.nodeModel + "-copy" })).status);
await run("tags_after_copy", async () => (await ollama.list()).models.map((m) => m.name));
await run("delete", async () => (await ollama.delete({ model: env.nodeModel + "-copy" })).status);
await run("tags_after_delete", async () => (await ollama.list()).models.map((m) => m.name));

await run("error_delete_in_process", () => ollama.delete({ model: env.chatModel }));
await run("error_copy_in_process", () => ollama.copy({ source: env.chatModel, destination: "other" }));
await run("error_unknown_model", () => ollama.chat({ model: "no-such-model", messages, stream: false }));
await run("error_unknown_model_stream", async () => {
  for await (const part of await ollama.chat({ model: "no-such-model", messages, stream: true })) {
    void part;
  }
});
await run("error_mid_stream", async () => {
  let text = "";
  for await (const part of await ollama.chat({ model: env.brokenModel, messages, stream: true })) {
    text += part.message.content;
  }
  return { text };
});
await run("error_bad_body", () => ollama.chat({ model: env.chatModel, messages: [], stream: false }));
await run("error_unauthorized", () =>
  new Ollama({ host: env.baseUrl, headers: { Authorization: "Bearer wrong-token" } }).list());

done();
