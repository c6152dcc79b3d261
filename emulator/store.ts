/**
 * The emulator's state: every API's collections, kept in memory and mirrored to ONE JSON state file when one is
 * given, so that everything (and the next IDs) survives a restart. A change is applied to a draft, written to
 * disk, and only then becomes the state: a failed write leaves memory as the file is, and the change refused.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** A collection an API module keeps, as it declares it. */
export interface CollectionDeclaration {
  /** Its key in the state file, e.g. "servers". */
  name: string;
  /**
   * The state-file key of the counter that hands out integer IDs (records keyed by a numeric `ID`), e.g.
   * "nextId". IDs are never reused, like Postmark's: a stale ID must not find someone else's resource.
   */
  idCounter?: string;
  /** The record field holding the owning server's ID: such records go when their server is deleted. */
  ownerField?: string;
  /** The record field naming the server's message stream it belongs to: such records go when the stream is purged. */
  streamField?: string;
  /** Always written, and required on load (the servers: what every state file since the first one holds). */
  required?: boolean;
}

type StoredRecord = Record<string, unknown>;

/** A change in progress; nothing is visible or saved until the change function returns. */
export interface StoreDraft {
  /** The collection's records, in stored order. Records are never mutated in place: replace them. */
  list<T>(collection: string): T[];
  replace<T>(collection: string, records: T[]): void;
  /** The next integer ID of a collection with an `idCounter`. */
  takeId(collection: string): number;
  /** Drops every record that belongs to the server (`ownerField`), or only to one of its streams (`streamField`). */
  removeOwnedBy(serverId: number, streamId?: string): void;
  /** Empties every collection; the counters stay, as Postmark never reuses an ID. */
  clear(): void;
}

export class StateStore {
  private readonly declarations = new Map<string, CollectionDeclaration>();
  private collections = new Map<string, StoredRecord[]>();
  private counters = new Map<string, number>();

  constructor(
    declarations: CollectionDeclaration[],
    private readonly stateFile?: string,
  ) {
    for (const declaration of declarations) {
      if (this.declarations.has(declaration.name)) throw new Error(`two API modules declare the collection "${declaration.name}"`);
      this.declarations.set(declaration.name, declaration);
      this.collections.set(declaration.name, []);
      if (declaration.idCounter) this.counters.set(declaration.name, 1);
    }
    if (stateFile) this.load(stateFile);
  }

  list<T>(collection: string): T[] {
    return [...this.known(this.collections, collection)] as T[];
  }

  change<R>(edit: (draft: StoreDraft) => R): R {
    const collections = new Map([...this.collections].map(([name, records]) => [name, [...records]]));
    const counters = new Map(this.counters);
    // An edit that only reads (a check that finds nothing new, a poll) writes no state file.
    let changed = false;
    const draft: StoreDraft = {
      list: <T>(name: string) => [...this.known(collections, name)] as T[],
      replace: (name, records) => {
        this.known(collections, name);
        changed = true;
        collections.set(name, [...(records as StoredRecord[])]);
      },
      takeId: (name) => {
        const id = this.known(counters, name);
        counters.set(name, id + 1);
        changed = true;
        return id;
      },
      removeOwnedBy: (serverId, streamId) => {
        changed = true;
        for (const { name, ownerField, streamField } of this.declarations.values()) {
          if (!ownerField || (streamId !== undefined && !streamField)) continue;
          const owned = (record: StoredRecord) => record[ownerField] === serverId && (streamId === undefined || record[streamField!] === streamId);
          collections.set(name, collections.get(name)!.filter((record) => !owned(record)));
        }
      },
      clear: () => {
        changed = true;
        for (const name of collections.keys()) collections.set(name, []);
      },
    };
    const result = edit(draft);
    if (!changed) return result;
    if (this.stateFile) writeAtomically(this.stateFile, JSON.stringify(this.serialize(collections, counters), null, 2) + "\n");
    this.collections = collections;
    this.counters = counters;
    return result;
  }

  private known<V>(map: Map<string, V>, name: string): V {
    if (!map.has(name)) throw new Error(`no collection "${name}"${this.declarations.has(name) ? " with an ID counter" : ""} is declared`);
    return map.get(name)!;
  }

  /** Empty collections and counters still at 1 are left out, so a file holding only servers keeps its first shape. */
  private serialize(collections: Map<string, StoredRecord[]>, counters: Map<string, number>): Record<string, unknown> {
    const state: Record<string, unknown> = {};
    for (const { name, idCounter, required } of this.declarations.values()) {
      const records = collections.get(name)!;
      const next = counters.get(name);
      if (idCounter && next !== undefined && (required || next > 1)) state[idCounter] = next;
      if (required || records.length > 0) state[name] = records;
    }
    return state;
  }

  private load(file: string): void {
    let text: string;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
      throw error;
    }
    let state: Record<string, unknown>;
    try {
      state = JSON.parse(text);
    } catch (error) {
      throw new Error(`state file ${file} is not valid JSON (${(error as Error).message}); move it away to start empty`);
    }
    for (const { name, idCounter, required } of this.declarations.values()) {
      const records = state?.[name];
      if (records === undefined && !required) continue;
      if (!Array.isArray(records)) throw new Error(`state file ${file} has no "${name}" array; move it away to start empty`);
      this.collections.set(name, records);
      if (idCounter) {
        const highest = Math.max(0, ...records.map((record: StoredRecord) => Number(record.ID) || 0));
        this.counters.set(name, Math.max(Number(state[idCounter]) || 1, highest + 1));
      }
    }
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
