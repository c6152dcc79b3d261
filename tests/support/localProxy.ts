/**
 * A forward proxy on loopback that records everything a client hands it, and a TLS front that plays Postmark's https
 * host (api.postmark.test, tests/fixtures/tls) in front of the emulator: what the client's proxy tests stand on.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import * as net from "node:net";
import * as path from "node:path";
import * as tls from "node:tls";

const tlsFixtures = path.join(__dirname, "..", "fixtures", "tls");
/** The certificate of the TLS front: a client that trusts it reaches https://api.postmark.test through a tunnel. */
export const frontCertificate = fs.readFileSync(path.join(tlsFixtures, "api.postmark.test.crt"), "utf8");

export interface HostAndPort {
  host: string;
  port: number;
}

export interface LocalProxyOptions {
  /**
   * Where the proxy reaches the hosts that exist only here, by the "host:port" a request names (e.g.
   * "api.postmark.test:443" → the TLS front); any other host:port is reached as named, as a real proxy does.
   */
  routes?: Record<string, HostAndPort>;
  /** Basic credentials (`user:password`) the proxy demands, answering 407 without them. */
  credentials?: string;
  /** Answer plain requests with this status and an error page that quotes the request's headers, as some proxies do. */
  refuseQuotingHeaders?: number;
}

/** A request as the proxy read it: a CONNECT (target host:port) or a plain request (target the absolute URL). */
export interface ProxiedRequest {
  method: string;
  target: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface LocalProxy {
  url: string;
  /** Every request the proxy received, CONNECTs included. */
  requests: ProxiedRequest[];
  /** Everything the proxy could read: the requests, and the bytes clients sent through its tunnels. */
  readable(): string;
  stop(): Promise<void>;
}

export async function startLocalProxy(options: LocalProxyOptions): Promise<LocalProxy> {
  const requests: ProxiedRequest[] = [];
  const tunnelled: Buffer[] = [];
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => tracked(sockets, socket);
  const expected = options.credentials && `Basic ${Buffer.from(options.credentials).toString("base64")}`;
  const authorized = (headers: http.IncomingHttpHeaders) => !expected || headers["proxy-authorization"] === expected;
  const route = (hostPort: string): HostAndPort => {
    const named = hostPort.lastIndexOf(":");
    return options.routes?.[hostPort] ?? { host: hostPort.slice(0, named).replace(/^\[|\]$/g, ""), port: Number(hostPort.slice(named + 1)) };
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      requests.push({ method: req.method!, target: req.url!, headers: req.headers, body: body.toString("utf8") });
      if (!authorized(req.headers)) {
        res.writeHead(407, { "Proxy-Authenticate": 'Basic realm="proxy"' }).end();
      } else if (options.refuseQuotingHeaders) {
        const quoted = Object.entries(req.headers).map(([name, value]) => `${name}: ${value}`).join("<br>");
        res.writeHead(options.refuseQuotingHeaders, { "Content-Type": "text/html" }).end(`<p>Upstream unreachable for:<br>${quoted}</p>`);
      } else {
        const target = new URL(req.url!);
        const { host, port } = route(`${target.hostname}:${target.port || 80}`);
        // agent: false, so that no socket to the emulator outlives the proxy.
        const forward = { host, port, path: target.pathname + target.search, method: req.method, headers: req.headers, agent: false };
        const upstream = http.request(forward, (answer) => {
          res.writeHead(answer.statusCode!, answer.headers);
          answer.pipe(res);
        });
        upstream.on("error", () => res.writeHead(502).end());
        upstream.end(body);
      }
    });
  });
  server.on("connection", track);
  server.on("connect", (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    requests.push({ method: "CONNECT", target: req.url!, headers: req.headers, body: "" });
    if (!authorized(req.headers)) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="proxy"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const { host, port } = route(req.url!);
    const upstream = net.connect(port, host, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      tunnelled.push(head);
      upstream.write(head);
      client.on("data", (chunk: Buffer) => tunnelled.push(chunk));
      client.pipe(upstream);
      upstream.pipe(client);
    });
    track(upstream);
    upstream.on("close", () => client.destroy());
    client.on("close", () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    readable: () => JSON.stringify(requests) + Buffer.concat(tunnelled).toString("latin1"),
    stop: () => closeAll(server, sockets),
  };
}

export interface TlsFront {
  port: number;
  stop(): Promise<void>;
}

/** A TLS server for api.postmark.test that pipes each connection to `target` (the emulator's host and port). */
export async function startTlsFront(target: HostAndPort): Promise<TlsFront> {
  const sockets = new Set<net.Socket>();
  const server = tls.createServer({ cert: frontCertificate, key: fs.readFileSync(path.join(tlsFixtures, "api.postmark.test.key")) }, (secure) => {
    const upstream = tracked(sockets, net.connect(target.port, target.host));
    tracked(sockets, secure).pipe(upstream).pipe(secure);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as net.AddressInfo).port, stop: () => closeAll(server, sockets) };
}

/** `socket`, held in `sockets` until it closes, so that a stop can end it; an error (a peer gone) just ends it. */
function tracked<Socket extends net.Socket>(sockets: Set<net.Socket>, socket: Socket): Socket {
  sockets.add(socket);
  socket.on("close", () => sockets.delete(socket));
  socket.on("error", () => socket.destroy());
  return socket;
}

function closeAll(server: net.Server, sockets: Set<net.Socket>): Promise<void> {
  for (const socket of sockets) socket.destroy();
  return new Promise((resolve) => server.close(() => resolve()));
}
