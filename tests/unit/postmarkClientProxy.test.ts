/**
 * Where the account token goes: to the apiUrl host, or through the proxy the environment names, and then inside TLS
 * for an https apiUrl; never along a redirect. Against the emulator, a TLS front playing https://api.postmark.test
 * and a recording proxy, all on loopback.
 */
import * as http from "node:http";
import * as https from "node:https";
import { AddressInfo } from "node:net";
import { RunningEmulator, startEmulator } from "../../emulator/server";
import { PostmarkApiError } from "../../provider/core/errors";
import { defaultClientSettings, PostmarkClient } from "../../provider/core/postmarkClient";
import { EmulatorAdmin } from "../support/emulatorAdmin";
import { frontCertificate, LocalProxy, LocalProxyOptions, startLocalProxy, startTlsFront, TlsFront } from "../support/localProxy";

const token = "proxy-test-token-5f0c";
const httpsApiUrl = "https://api.postmark.test";
const proxyVariables = ["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"];
const machineProxyVariables = Object.fromEntries(proxyVariables.map((name) => [name, process.env[name]]));
const globalAgentCa = https.globalAgent.options.ca;

let emulator: RunningEmulator;
let admin: EmulatorAdmin;
let front: TlsFront;
let serverId: string;
const proxies: LocalProxy[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ token });
  admin = new EmulatorAdmin(emulator.url);
  front = await startTlsFront({ host: "127.0.0.1", port: emulator.port });
  serverId = String((await admin.createByHand({ Name: "Behind a proxy" })).ID);
  // What NODE_EXTRA_CA_CERTS does for a user whose proxy inspects TLS: here, trust the front's certificate.
  https.globalAgent.options.ca = frontCertificate;
});
afterAll(async () => {
  https.globalAgent.options.ca = globalAgentCa;
  for (const name of proxyVariables) setVariable(name, machineProxyVariables[name]);
  await front?.stop();
  await emulator?.stop();
});
beforeEach(async () => {
  for (const name of proxyVariables) delete process.env[name];
  await admin.clearRequests();
});
afterEach(async () => {
  await Promise.all(proxies.splice(0).map((proxy) => proxy.stop()));
});

function setVariable(name: string, value: string | undefined) {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

async function proxy(options: LocalProxyOptions = {}): Promise<LocalProxy> {
  const routes = { "api.postmark.test:443": { host: "127.0.0.1", port: front.port }, "api.postmark.test:80": { host: "127.0.0.1", port: emulator.port } };
  const started = await startLocalProxy({ routes, ...options });
  proxies.push(started);
  return started;
}

const client = (apiUrl: string, maxAttempts = 1) =>
  new PostmarkClient({ ...defaultClientSettings, apiUrl, accountToken: token, retryBaseDelayMs: 1, maxAttempts, timeoutMs: 3000 });

/** The calls the emulator answered, as "METHOD path status". */
const answered = async () => (await admin.requests()).map((r) => `${r.method} ${r.path} ${r.status}`);

describe("an https apiUrl through the proxy the environment names", () => {
  it.each(["HTTPS_PROXY", "https_proxy", "ALL_PROXY"])(
    "with %s, requests go through a CONNECT tunnel: the proxy reads the host and port, never the token or the request",
    async (variable) => {
      const tunnel = await proxy();
      process.env[variable] = tunnel.url;
      expect((await client(httpsApiUrl).getServer(serverId)).Name).toBe("Behind a proxy");
      expect(tunnel.requests.map((r) => `${r.method} ${r.target}`)).toEqual(["CONNECT api.postmark.test:443"]);
      expect(await answered()).toEqual([`GET /servers/${serverId} 200`]); // the emulator accepted the token, sent inside TLS
      expect(tunnel.readable()).not.toContain(token);
      expect(tunnel.readable()).not.toContain(`/servers/${serverId}`);
    },
  );

  it("a proxy that wants credentials: without them the error says so (once, not retried); with them in HTTPS_PROXY it works", async () => {
    const guarded = await proxy({ credentials: "alice:s3cret" });
    process.env.HTTPS_PROXY = guarded.url;
    const refused = await client(httpsApiUrl, 3).getServer(serverId).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PostmarkApiError);
    expect(refused).toMatchObject({ status: 407, attempts: 1 });
    expect((refused as Error).message).toMatch(/proxy asks for credentials.*HTTPS_PROXY=http:\/\/user:password@/);

    process.env.HTTPS_PROXY = guarded.url.replace("http://", "http://alice:s3cret@");
    expect((await client(httpsApiUrl).getServer(serverId)).Name).toBe("Behind a proxy");
    const [withoutCredentials, withCredentials] = guarded.requests;
    expect(withoutCredentials.headers["proxy-authorization"]).toBeUndefined();
    expect(withCredentials).toMatchObject({ method: "CONNECT", headers: { "proxy-authorization": `Basic ${Buffer.from("alice:s3cret").toString("base64")}` } });
    expect(guarded.readable()).not.toContain(token);
  });

  it.each([
    ["NO_PROXY", "api.postmark.test"],
    ["no_proxy", ".postmark.test"],
    ["NO_PROXY", "example.com,*.postmark.test"],
    ["NO_PROXY", "*"],
  ])("%s=%s keeps the request off the proxy (it goes straight to the host, which does not resolve here)", async (variable, value) => {
    const unwanted = await proxy();
    process.env.HTTPS_PROXY = unwanted.url;
    process.env[variable] = value;
    const failure = await client(httpsApiUrl).getServer(serverId).catch((e: unknown) => e);
    expect(failure).toMatchObject({ status: 0 });
    expect(unwanted.requests).toEqual([]);
  }, 15_000);
});

describe("an http apiUrl through HTTP_PROXY", () => {
  it("goes to the proxy as a plain request, which the proxy can read: the user chose plain HTTP", async () => {
    const forwarding = await proxy();
    process.env.HTTP_PROXY = forwarding.url;
    expect((await client("http://api.postmark.test").getServer(serverId)).Name).toBe("Behind a proxy");
    expect(forwarding.requests.map((r) => `${r.method} ${r.target}`)).toEqual([`GET http://api.postmark.test/servers/${serverId}`]);
    expect(await answered()).toEqual([`GET /servers/${serverId} 200`]);
  });

  it("a proxy error page that quotes the request's headers leaves no token in the error", async () => {
    const quoting = await proxy({ refuseQuotingHeaders: 502 });
    process.env.HTTP_PROXY = quoting.url;
    const failure = await client("http://api.postmark.test", 2).getServer(serverId).catch((e: unknown) => e);
    expect(failure).toMatchObject({ status: 502, attempts: 2 });
    expect(quoting.readable()).toContain(token); // what the page quoted
    expect((failure as PostmarkApiError).postmarkMessage).toContain("x-postmark-account-token: [token]");
    expect(JSON.stringify(failure) + String((failure as Error).stack)).not.toContain(token);
  });
});

describe("where the token never goes", () => {
  it.each(["127.0.0.1", "localhost"])("an apiUrl on loopback (%s, the emulator) never goes through a proxy, whatever the environment says", async (host) => {
    const unwanted = await proxy();
    for (const variable of ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"]) process.env[variable] = unwanted.url;
    expect((await client(`http://${host}:${emulator.port}`).getServer(serverId)).Name).toBe("Behind a proxy");
    expect(unwanted.requests).toEqual([]);
  });

  it("a redirect is not followed, so the token never reaches the host it points to; the error says to check apiUrl", async () => {
    // A server on 127.0.0.1 that sends every request on to the emulator under another name.
    const redirecting = http.createServer((req, res) => {
      res.writeHead(301, { Location: `http://localhost:${emulator.port}${req.url}` }).end();
    });
    await new Promise<void>((resolve) => redirecting.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = redirecting.address() as AddressInfo;
      const failure = await client(`http://127.0.0.1:${port}`, 3).getServer(serverId).catch((e: unknown) => e);
      expect(failure).toMatchObject({ status: 301, attempts: 1 });
      expect((failure as Error).message).toMatch(/redirect was not followed.*check postmark:apiUrl/);
      expect(await answered()).toEqual([]);
    } finally {
      redirecting.closeAllConnections();
      await new Promise((resolve) => redirecting.close(resolve));
    }
  });
});
