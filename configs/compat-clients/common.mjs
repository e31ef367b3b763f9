// Shared by the per-family scripts: read the target from the environment, run named cases, print what each
// client library handed its user (or the error it raised) as one JSON object on stdout.
export const env = {
  baseUrl: process.env.JERRY_BASE_URL,
  token: process.env.JERRY_TOKEN,
  chatModel: process.env.JERRY_CHAT_MODEL,
  embeddingModel: process.env.JERRY_EMBEDDING_MODEL,
  nodeModel: process.env.JERRY_NODE_MODEL,
  pullableModel: process.env.JERRY_PULLABLE_MODEL,
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

export function done() {
  process.stdout.write(JSON.stringify(results) + "\n");
}
