// Shared by the per-family scripts: read the target from the environment, run named cases, print what each
// client library handed its user (or the error it raised) as one JSON object on stdout.
export const env = {
  baseUrl: process.env.JERRY_BASE_URL,
  token: process.env.JERRY_TOKEN,
  chatModel: process.env.JERRY_CHAT_MODEL,
  embeddingModel: process.env.JERRY_EMBEDDING_MODEL,
  nodeModel: process.env.JERRY_NODE_MODEL,
  pullableModel: process.env.JERRY_PULLABLE_MODEL,
  brokenModel: process.env.JERRY_BROKEN_MODEL,
  question: process.env.JERRY_QUESTION,
};

const results = {};

export async function run(name, fn) {
  try {
    results[name] = { ok: await fn() };
  } catch (e) {
    results[name] = {
      error: {
        class: e?.constructor?.name,
        status: e?.status ?? e?.status_code,
        message: String(e?.message),
        type: e?.type ?? e?.error?.type,
        code: e?.code ?? e?.error?.code,
        param: e?.param ?? e?.error?.param,
      },
    };
  }
}

// Reads an OpenAI SDK chat stream to its end, as its user would: the text, the finish reason, the usage chunk, and
// the chunk that carried the finish reason (where servers put their own extension fields).
export async function readChatStream(stream) {
  let chunks = 0, text = "", finish = null, usage = null, last = null;
  for await (const chunk of stream) {
    chunks++;
    if (chunk.choices.length > 0) {
      text += chunk.choices[0].delta?.content ?? "";
      if (chunk.choices[0].finish_reason) {
        finish = chunk.choices[0].finish_reason;
        last = chunk;
      }
    }
    usage = chunk.usage ?? usage;
  }
  return { chunks, text, finish_reason: finish, usage, ended: true, last };
}

export function done() {
  process.stdout.write(JSON.stringify(results) + "\n");
}
