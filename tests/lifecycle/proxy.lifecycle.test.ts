/**
 * Behind a proxy, through the real Pulumi CLI: the proxy variables and NODE_EXTRA_CA_CERTS, as a CI runner behind a
 * corporate proxy sets them, reach the provider process, which talks to "Postmark" (the emulator behind a TLS front
 * for https://api.postmark.test) through a CONNECT tunnel the proxy cannot read.
 */
import * as path from "path";
import { RunningEmulator, startEmulator } from "../../emulator/server";
import { EmulatorAdmin } from "../support/emulatorAdmin";
import { LocalProxy, startLocalProxy, startTlsFront, TlsFront } from "../support/localProxy";
import { createTestStack, repoRoot, TestStack } from "./pulumiHarness";

jest.setTimeout(300_000);

const accountToken = "proxied-account-token-93b7";
const program = `
const { PostmarkServer } = require("pulumi-postmark");
const server = new PostmarkServer("proxied", { name: "Proxied", color: "Blue" });
exports.serverId = server.serverId;
`;

let emulator: RunningEmulator;
let front: TlsFront;
let proxy: LocalProxy;
let test: TestStack;

beforeAll(async () => {
  emulator = await startEmulator({ token: accountToken });
  front = await startTlsFront({ host: "127.0.0.1", port: emulator.port });
  proxy = await startLocalProxy({ routes: { "api.postmark.test:443": { host: "127.0.0.1", port: front.port } } });
  test = await createTestStack({
    program,
    config: { "postmark:apiUrl": "https://api.postmark.test" },
    secretConfig: { "postmark:accountToken": accountToken },
    env: {
      https_proxy: proxy.url,
      // Pulumi's Node.js SDK sends its own gRPC to the engine through https_proxy unless loopback is in no_proxy (README).
      no_proxy: "localhost,127.0.0.1",
      NODE_EXTRA_CA_CERTS: path.join(repoRoot, "tests", "fixtures", "tls", "api.postmark.test.crt"),
    },
  });
});
afterAll(async () => {
  await test?.cleanup();
  await proxy?.stop();
  await front?.stop();
  await emulator?.stop();
});

it("up and destroy reach Postmark through the proxy's CONNECT tunnel, and the proxy never reads the token", async () => {
  const up = await test.stack.up();
  expect(up.summary.result).toBe("succeeded");
  const admin = new EmulatorAdmin(emulator.url);
  expect((await admin.servers()).map((s) => [s.ID, s.Name])).toEqual([[Number(up.outputs.serverId.value), "Proxied"]]);

  expect((await test.stack.destroy()).summary.result).toBe("succeeded");
  expect(await admin.servers()).toEqual([]);
  const proxied = proxy.requests.map((r) => `${r.method} ${r.target}`);
  expect(proxied.length).toBeGreaterThanOrEqual(2); // a create and a delete, at least
  expect(new Set(proxied)).toEqual(new Set(["CONNECT api.postmark.test:443"]));
  expect(proxy.readable()).not.toContain(accountToken);
});
