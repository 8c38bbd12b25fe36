import { once } from "node:events";
import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import * as tls from "node:tls";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { HttpsStatusReader } from "../src/status/https-status-reader.js";

// A self-signed certificate for 127.0.0.1/localhost, valid until 2126, used only by this test.
const TEST_CERT = `-----BEGIN CERTIFICATE-----
MIIB0zCCAXmgAwIBAgIUT5yfiC5I0EJf+eJeuKWRkijRueIwCgYIKoZIzj0EAwIw
MDEuMCwGA1UEAwwlcmVnaW9uYWwtc2xvdC1zd2FwIHN0YXR1cy1yZWFkZXIgdGVz
dDAgFw0yNjExMjEyMjAxNTVaGA8yMTI2MTAyODIyMDE1NVowMDEuMCwGA1UEAwwl
cmVnaW9uYWwtc2xvdC1zd2FwIHN0YXR1cy1yZWFkZXIgdGVzdDBZMBMGByqGSM49
AgEGCCqGSM49AwEHA0IABBhRC9KnQA7MwPkYEV69IAxDP2IYPK8uag0zvdlDdqUf
WvJKr3HHqOYlew8YNz8hJiGEtPRFax5sbpmHZuEMofmjbzBtMB0GA1UdDgQWBBSC
05W3olr4rIyhJIo+SwMGfWW8azAfBgNVHSMEGDAWgBSC05W3olr4rIyhJIo+SwMG
fWW8azAaBgNVHREEEzARhwR/AAABgglsb2NhbGhvc3QwDwYDVR0TAQH/BAUwAwEB
/zAKBggqhkjOPQQDAgNIADBFAiBHK72bmOZ36Cud57pY9sktI8MXSlnOf/Mvhvn+
1epNsQIhANX2YErR1uxrrn8KyLDhwhfa2rods2dIPiPjF6MGzaw3
-----END CERTIFICATE-----
`;
const TEST_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgj2cbXRwoOIWmTvsw
qmqRLip3RFP6Vpd3ZKlGNMs4rL+hRANCAAQYUQvSp0AOzMD5GBFevSAMQz9iGDyv
LmoNM73ZQ3alH1rySq9xx6jmJXsPGDc/ISYhhLT0RWsebG6Zh2bhDKH5
-----END PRIVATE KEY-----
`;

type Route = (request: IncomingMessage, response: ServerResponse) => void;

let server: Server;
let origin: string;
const routes = new Map<string, Route>();
const seen: { path: string; headers: IncomingMessage["headers"] }[] = [];

beforeAll(async () => {
  // The global fetch reads the CA store when it connects; NODE_EXTRA_CA_CERTS is only read at
  // process start, so trust the test certificate for this worker process instead.
  tls.setDefaultCACertificates([...tls.getCACertificates("default"), TEST_CERT]);
  server = createServer({ key: TEST_KEY, cert: TEST_CERT }, (request, response) => {
    const path = request.url ?? "/";
    seen.push({ path, headers: request.headers });
    const route = routes.get(path);
    if (route) route(request, response);
    else response.writeHead(404).end("no such page");
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  server.close();
  await once(server, "close");
});

beforeEach(() => {
  routes.clear();
  seen.length = 0;
});

function json(status: number, body: unknown, headers: Record<string, string> = {}): Route {
  return (_request, response) => {
    response
      .writeHead(status, { "content-type": "application/json", ...headers })
      .end(JSON.stringify(body));
  };
}

describe("HttpsStatusReader", () => {
  it("returns the parsed JSON body and status, asking for JSON and no cached copy", async () => {
    routes.set(
      "/status",
      json(200, { build: "1.4.2", status: "Healthy" }, { "cache-control": "max-age=600" }),
    );
    const reader = new HttpsStatusReader();

    const first = await reader.read(`${origin}/status`);
    const second = await reader.read(`${origin}/status`);

    expect(first).toEqual({
      kind: "response",
      httpStatus: 200,
      body: { build: "1.4.2", status: "Healthy" },
      bodyIsJson: true,
    });
    expect(second).toEqual(first);
    // One request per read, even though the page said it may be cached for ten minutes.
    expect(seen.map((request) => request.path)).toEqual(["/status", "/status"]);
    expect(seen[0]?.headers.accept).toBe("application/json");
    expect(seen[0]?.headers["cache-control"]).toBe("no-cache");
  });

  it("keeps non-2xx answers with their JSON body: judging them is the core's job", async () => {
    routes.set("/status", json(503, { build: "1.4.2", status: "Unhealthy" }));

    const result = await new HttpsStatusReader().read(`${origin}/status`);

    expect(result).toEqual({
      kind: "response",
      httpStatus: 503,
      body: { build: "1.4.2", status: "Unhealthy" },
      bodyIsJson: true,
    });
  });

  it("returns a body that is not JSON as text cut to 500 characters", async () => {
    const page = `<html><body>${"Service Unavailable ".repeat(60)}</body></html>`;
    routes.set("/status", (_request, response) => {
      response.writeHead(502, { "content-type": "text/html" }).end(page);
    });

    const result = await new HttpsStatusReader().read(`${origin}/status`);

    expect(result).toEqual({
      kind: "response",
      httpStatus: 502,
      body: page.slice(0, 500),
      bodyIsJson: false,
    });
    expect(page.length).toBeGreaterThan(500);
  });

  it("treats an empty 200 answer as not JSON", async () => {
    routes.set("/status", (_request, response) => {
      response.writeHead(200).end();
    });

    expect(await new HttpsStatusReader().read(`${origin}/status`)).toEqual({
      kind: "response",
      httpStatus: 200,
      body: "",
      bodyIsJson: false,
    });
  });

  it("follows a few redirects to the status page", async () => {
    routes.set("/old", (_request, response) =>
      response.writeHead(301, { location: "/older" }).end(),
    );
    routes.set("/older", (_request, response) =>
      response.writeHead(302, { location: `${origin}/status` }).end(),
    );
    routes.set("/status", json(200, { build: "7" }));

    const result = await new HttpsStatusReader().read(`${origin}/old`);

    expect(result).toEqual({
      kind: "response",
      httpStatus: 200,
      body: { build: "7" },
      bodyIsJson: true,
    });
    expect(seen.map((request) => request.path)).toEqual(["/old", "/older", "/status"]);
  });

  it("gives up on a redirect loop after the configured number of redirects", async () => {
    routes.set("/a", (_request, response) => response.writeHead(302, { location: "/b" }).end());
    routes.set("/b", (_request, response) => response.writeHead(302, { location: "/a" }).end());

    const result = await new HttpsStatusReader({ maxRedirects: 3 }).read(`${origin}/a`);

    expect(result.kind).toBe("unreachable");
    expect(result.kind === "unreachable" && result.reason).toContain(
      "redirected more than 3 times",
    );
    expect(seen).toHaveLength(4);
  });

  it("reports a page that does not answer in time as unreachable", async () => {
    routes.set("/slow", () => {
      // Never answers; the reader's timeout must end the read.
    });

    const result = await new HttpsStatusReader({ timeoutMs: 200 }).read(`${origin}/slow`);

    expect(result).toEqual({
      kind: "unreachable",
      reason: `no answer from ${origin}/slow within 200ms`,
    });
  });

  it("reports a refused connection as unreachable, naming the cause", async () => {
    const closed = createServer({ key: TEST_KEY, cert: TEST_CERT });
    closed.listen(0, "127.0.0.1");
    await once(closed, "listening");
    const url = `https://127.0.0.1:${(closed.address() as AddressInfo).port}/status`;
    closed.close();
    await once(closed, "close");

    const result = await new HttpsStatusReader().read(url);

    expect(result.kind).toBe("unreachable");
    expect(result.kind === "unreachable" && result.reason).toMatch(/ECONNREFUSED/);
  });

  it("rethrows the caller's abort reason instead of reporting the page unreachable", async () => {
    routes.set("/slow", () => {});
    const controller = new AbortController();
    const reason = new Error("release cancelled");

    const reading = new HttpsStatusReader({ timeoutMs: 60_000 }).read(
      `${origin}/slow`,
      controller.signal,
    );
    await waitUntil(() => seen.length === 1);
    controller.abort(reason);

    await expect(reading).rejects.toBe(reason);
  });

  it("does not send a request when the caller's signal has already aborted", async () => {
    routes.set("/status", json(200, { build: "1" }));
    const reason = new Error("cancelled before");

    await expect(
      new HttpsStatusReader().read(`${origin}/status`, AbortSignal.abort(reason)),
    ).rejects.toBe(reason);
    expect(seen).toHaveLength(0);
  });

  it("with routeToSelf sends App Service's x-ms-routing-name=self cookie, and never a cookie it was given", async () => {
    // App Service pins a routed user to a slot with a cookie; a reader that kept it would send
    // the next read wherever the last one landed.
    routes.set(
      "/status",
      json(200, { build: "7" }, { "set-cookie": "x-ms-routing-name=staging; path=/; HttpOnly" }),
    );
    const reader = new HttpsStatusReader();

    await reader.read(`${origin}/status`, undefined, { routeToSelf: true });
    await reader.read(`${origin}/status`);
    await reader.read(`${origin}/status`, undefined, { routeToSelf: false });
    await reader.read(`${origin}/status`, undefined, { routeToSelf: true });

    expect(seen.map((request) => request.headers.cookie)).toEqual([
      "x-ms-routing-name=self",
      undefined,
      undefined,
      "x-ms-routing-name=self",
    ]);
  });

  it("sends the routing cookie through redirects on the page's own origin, not to another one", async () => {
    const elsewhere = origin.replace("127.0.0.1", "localhost");
    routes.set("/old", (_request, response) =>
      response.writeHead(302, { location: "/status" }).end(),
    );
    routes.set("/status", (_request, response) =>
      response.writeHead(302, { location: `${elsewhere}/moved` }).end(),
    );
    routes.set("/moved", json(200, { build: "7" }));

    const result = await new HttpsStatusReader().read(`${origin}/old`, undefined, {
      routeToSelf: true,
    });

    expect(result).toMatchObject({ kind: "response", httpStatus: 200 });
    expect(seen.map((request) => [request.path, request.headers.cookie])).toEqual([
      ["/old", "x-ms-routing-name=self"],
      ["/status", "x-ms-routing-name=self"],
      ["/moved", undefined],
    ]);
  });
});

/** Waits for the server to have seen a request; polls the event loop, not the clock. */
async function waitUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}
