/** What the emulator saw of each API request, for tests and demos; no headers, so never a token. */
import { FaultName } from "./faults";

export interface RequestLogEntry {
  method: string;
  /** With the query string. */
  path: string;
  /** 0 when the connection was dropped instead of answered. */
  status: number;
  fault: FaultName | null;
  /** When the request arrived (ISO 8601). */
  time: string;
  durationMs: number;
}

/** Bounds memory in long demo runs; the oldest entries go first. */
const maxLogEntries = 10_000;

export class RequestLog {
  readonly entries: RequestLogEntry[] = [];

  add(entry: RequestLogEntry): void {
    this.entries.push(entry);
    if (this.entries.length > maxLogEntries) this.entries.shift();
  }

  clear(): void {
    this.entries.length = 0;
  }
}
