import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createTcpServer, type AddressInfo, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { MAX_RETRY_DELAY_MS, postSlackMessage } from "../src/notify/slack.js";
import type { SlackPayload } from "../src/notify/slack-message.js";

const payload: SlackPayload = {
  text: "✅ Release 1.4.2: released",
  blocks: [{ type: "section", text: { type: "mrkdwn", text: "hello" } }],
};
const SECRET_PATH = "/services/T000/B000/XXXXSECRETXXXX";

interface Received {
  method: string;
  url: string;
  contentType: string | undefined;
  body: string;
}

type Handler = (response: ServerResponse, attempt: number) => void;

let server: Server | undefined;

/** A loopback "Slack" answering each request with the next handler; returns the webhook URL. */
async function fakeSlack(...handlers: Handler[]): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({
        method: request.method ?? "",
        url: request.url ?? "",
        contentType: request.headers["content-type"],
        body: Buffer.concat(chunks).toString("utf8"),
      });
      const handler = handlers[Math.min(received.length, handlers.length) - 1];
      handler?.(response, received.length);
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}${SECRET_PATH}`, received };
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) =>
    server === undefined ? resolve() : server.close(() => resolve()),
  );
  server = undefined;
});

const answer =
  (status: number, body: string, headers: Record<string, string> = {}): Handler =>
  (response) => {
    response.writeHead(status, { "content-type": "text/plain", ...headers });
    response.end(body);
  };

/** Records the pauses instead of waiting them out. */
function recordingSleep(): { sleep: (ms: number) => Promise<void>; pauses: number[] } {
  const pauses: number[] = [];
  return { pauses, sleep: async (ms) => void pauses.push(ms) };
}

function expectNoSecret(error: unknown, url: string): void {
  expect(error).toBeInstanceOf(Error);
  const message = (error as Error).message;
  expect(message).not.toContain(url);
  expect(message).not.toContain("XXXXSECRETXXXX");
}

describe("postSlackMessage", () => {
  it("posts the payload as JSON and resolves when Slack says ok", async () => {
    const slack = await fakeSlack(answer(200, "ok"));
    const { sleep, pauses } = recordingSleep();
    await postSlackMessage(slack.url, payload, { sleep });
    expect(slack.received).toHaveLength(1);
    expect(slack.received[0]).toMatchObject({ method: "POST", url: SECRET_PATH });
    expect(slack.received[0]?.contentType).toMatch(/^application\/json/);
    expect(JSON.parse(slack.received[0]?.body ?? "")).toEqual(payload);
    expect(pauses).toEqual([]);
  });

  it("throws Slack's answer without the webhook URL after one retry of a 500", async () => {
    const slack = await fakeSlack(answer(500, "invalid_payload"));
    const { sleep, pauses } = recordingSleep();
    const error = await postSlackMessage(slack.url, payload, { sleep }).catch((e: unknown) => e);
    expectNoSecret(error, slack.url);
    expect((error as Error).message).toBe(
      "Slack message not sent: Slack answered 500 invalid_payload (after one retry; first try: Slack answered 500 invalid_payload)",
    );
    expect(slack.received).toHaveLength(2);
    expect(pauses).toEqual([1000]);
  });

  it("succeeds when the retry of a 503 is accepted", async () => {
    const slack = await fakeSlack(answer(503, "busy"), answer(200, "ok"));
    const { sleep, pauses } = recordingSleep();
    await postSlackMessage(slack.url, payload, { sleep });
    expect(slack.received).toHaveLength(2);
    expect(slack.received[1]?.body).toBe(slack.received[0]?.body);
    expect(pauses).toEqual([1000]);
  });

  it("honours Retry-After on a 429, up to a few seconds", async () => {
    const slack = await fakeSlack(
      answer(429, "rate_limited", { "retry-after": "2" }),
      answer(200, "ok"),
    );
    const first = recordingSleep();
    await postSlackMessage(slack.url, payload, { sleep: first.sleep });
    expect(first.pauses).toEqual([2000]);

    const slow = await fakeSlackAgain(
      answer(429, "rate_limited", { "retry-after": "600" }),
      answer(200, "ok"),
    );
    const second = recordingSleep();
    await postSlackMessage(slow.url, payload, { sleep: second.sleep });
    expect(second.pauses).toEqual([MAX_RETRY_DELAY_MS]);

    // A cancelled run has seconds left: it caps the pause lower.
    const hurried = await fakeSlackAgain(answer(503, "busy"), answer(200, "ok"));
    const third = recordingSleep();
    await postSlackMessage(hurried.url, payload, { sleep: third.sleep, maxRetryDelayMs: 200 });
    expect(third.pauses).toEqual([200]);
  });

  it("does not retry what Slack refused for good, and says how to fix a revoked webhook", async () => {
    const slack = await fakeSlack(answer(404, "no_service"));
    const { sleep, pauses } = recordingSleep();
    const error = await postSlackMessage(slack.url, payload, { sleep }).catch((e: unknown) => e);
    expectNoSecret(error, slack.url);
    expect((error as Error).message).toContain(
      "Slack answered 404 no_service: the webhook is unknown or revoked",
    );
    expect(slack.received).toHaveLength(1);
    expect(pauses).toEqual([]);
  });

  it("retries a network error once and reports it without the URL", async () => {
    const slack = await fakeSlack(answer(200, "ok"));
    const url = slack.url;
    server?.close();
    await new Promise((resolve) => server?.once("close", resolve));
    server = undefined;
    const { sleep, pauses } = recordingSleep();
    const error = await postSlackMessage(url, payload, { sleep }).catch((e: unknown) => e);
    expectNoSecret(error, url);
    expect((error as Error).message).toMatch(/could not reach Slack: ECONNREFUSED/);
    expect(pauses).toEqual([1000]);
  });

  it("gives up on a Slack that never answers", async () => {
    const slack = await fakeSlack(() => undefined);
    const { sleep } = recordingSleep();
    const error = await postSlackMessage(slack.url, payload, { sleep, timeoutMs: 50 }).catch(
      (e: unknown) => e,
    );
    expectNoSecret(error, slack.url);
    expect((error as Error).message).toContain("Slack did not answer within 50 ms");
    expect(slack.received).toHaveLength(2);
  });

  it("gives up on a connection whose TLS handshake never ends, within its limit per attempt", async () => {
    // Accepts the connection and never says a word: not even the TLS handshake completes.
    const sockets: Socket[] = [];
    const silent = createTcpServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const url = `https://127.0.0.1:${(silent.address() as AddressInfo).port}${SECRET_PATH}`;
    const { sleep } = recordingSleep();
    const started = Date.now();
    const error = await postSlackMessage(url, payload, { sleep, timeoutMs: 100 }).catch(
      (e: unknown) => e,
    );
    const elapsed = Date.now() - started;
    for (const socket of sockets) socket.destroy();
    silent.close();
    expectNoSecret(error, url);
    expect((error as Error).message).toBe(
      "Slack message not sent: Slack did not answer within 100 ms (after one retry; first try: Slack did not answer within 100 ms)",
    );
    expect(sockets).toHaveLength(2);
    expect(elapsed).toBeLessThan(2_000);
  });

  it("sends nothing when the run was cancelled before the post", async () => {
    const slack = await fakeSlack(answer(200, "ok"));
    const { sleep } = recordingSleep();
    const error = await postSlackMessage(slack.url, payload, {
      sleep,
      signal: AbortSignal.abort(new Error("cancelled")),
    }).catch((e: unknown) => e);
    expect((error as Error).message).toBe("Slack message not sent: the post was cancelled");
    expect(slack.received).toEqual([]);
  });

  it("does not retry when the run is cancelled", async () => {
    const slack = await fakeSlack(() => undefined);
    const controller = new AbortController();
    const { sleep, pauses } = recordingSleep();
    const posting = postSlackMessage(slack.url, payload, { sleep, signal: controller.signal });
    await waitFor(() => slack.received.length === 1);
    controller.abort(new Error("cancelled"));
    const error = await posting.catch((e: unknown) => e);
    expect((error as Error).message).toBe("Slack message not sent: the post was cancelled");
    expect(pauses).toEqual([]);
  });

  it("refuses something that is not a URL without echoing it", async () => {
    const error = await postSlackMessage("not a url XXXXSECRETXXXX", payload).catch(
      (e: unknown) => e,
    );
    expectNoSecret(error, "not a url XXXXSECRETXXXX");
    expect((error as Error).message).toContain("`slack-webhook-url` is not an http(s) URL");
  });
});

/** A second fake in the same test: the first one is closed first. */
async function fakeSlackAgain(
  ...handlers: Handler[]
): Promise<{ url: string; received: Received[] }> {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  return fakeSlack(...handlers);
}

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}
