/**
 * The emulator's servers: kept in memory, and mirrored to a JSON state file when one is given so that
 * servers (and the next ID) survive a restart.
 */
import { randomBytes, randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { serverFields, ServerRecord, WritableFields } from "./validation";

interface StateFile {
  nextId: number;
  servers: ServerRecord[];
}

export class ServerStore {
  private servers = new Map<number, ServerRecord>();
  /** IDs are never reused, like Postmark's: a stale ID must not find someone else's server. */
  private nextId = 1;

  constructor(private readonly stateFile?: string) {
    if (stateFile) this.load(stateFile);
  }

  /** All servers in ID order. */
  list(): ServerRecord[] {
    return [...this.servers.values()].sort((a, b) => a.ID - b.ID);
  }

  get(id: number): ServerRecord | undefined {
    return this.servers.get(id);
  }

  /** A new server: Postmark's defaults, a fresh ID, server token and inbound hash, then `fields` on top. */
  create(fields: Partial<ServerRecord>): ServerRecord {
    const record: Record<string, unknown> = {};
    for (const [name, field] of Object.entries(serverFields)) record[name] = "default" in field ? field.default : undefined;
    const id = this.nextId;
    const hash = randomBytes(16).toString("hex");
    Object.assign(record, {
      ID: id,
      ApiTokens: [randomUUID()],
      ServerLink: `https://postmarkapp.com/servers/${id}/streams`,
      InboundAddress: `${hash}@inbound.postmarkapp.com`,
      InboundHash: hash,
      ...fields,
    });
    const server = record as ServerRecord;
    this.commit([...this.list(), server], id + 1);
    return server;
  }

  /** Changes only the fields given; undefined when the server does not exist. */
  update(id: number, fields: WritableFields | Partial<ServerRecord>): ServerRecord | undefined {
    const server = this.servers.get(id);
    if (!server) return undefined;
    const updated = { ...server, ...fields };
    this.commit(this.list().map((s) => (s.ID === id ? updated : s)));
    return updated;
  }

  remove(id: number): ServerRecord | undefined {
    const server = this.servers.get(id);
    if (server) this.commit(this.list().filter((s) => s.ID !== id));
    return server;
  }

  /** Removes every server; the next ID stays, as Postmark never reuses one. */
  clear(): void {
    this.commit([]);
  }

  /** Disk first: when the write fails, memory still matches the file and the change is refused. */
  private commit(servers: ServerRecord[], nextId = this.nextId): void {
    if (this.stateFile) writeAtomically(this.stateFile, JSON.stringify({ nextId, servers } satisfies StateFile, null, 2) + "\n");
    this.servers = new Map(servers.map((s) => [s.ID, s]));
    this.nextId = nextId;
  }

  private load(file: string): void {
    let text: string;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
      throw error;
    }
    let state: StateFile;
    try {
      state = JSON.parse(text);
    } catch (error) {
      throw new Error(`state file ${file} is not valid JSON (${(error as Error).message}); move it away to start empty`);
    }
    if (!Array.isArray(state?.servers)) throw new Error(`state file ${file} has no "servers" array; move it away to start empty`);
    for (const server of state.servers) this.servers.set(server.ID, server);
    const highest = Math.max(0, ...this.servers.keys());
    this.nextId = Math.max(Number(state.nextId) || 1, highest + 1);
  }
}

/**
 * Writes a temporary file, flushes it to disk, then renames it over `file`: a rename is atomic, so a crash
 * leaves either the old content or the new, never half a file.
 */
function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = fs.openSync(tmp, "w");
  try {
    fs.writeFileSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  syncDirectory(path.dirname(file));
}

/** Makes the rename itself durable; some platforms cannot open a directory, which is fine to skip. */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, "r");
    fs.fsyncSync(fd);
  } catch {
    // best effort
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
