/**
 * What an API module declares. The shared core (server.ts) does HTTP, routing, auth, JSON header rules,
 * faults, latency, the request log, the admin plumbing and the state file; a module brings only Postmark's
 * behaviour for one API: its routes, the token they take, which route creates (for `lost-create`), its
 * collections in the state file, its admin routes for hand edits and its own settings.
 */
import { Answer } from "./http";
import { EmulatorSettings } from "./settings";
import { CollectionDeclaration, StateStore } from "./store";

/** Account-level APIs take X-Postmark-Account-Token; server-level ones X-Postmark-Server-Token. */
export type TokenKind = "account" | "server";

export interface RequestContext {
  /** The path parameters of the route pattern, URL-decoded. */
  params: Record<string, string>;
  query: URLSearchParams;
  /** The body as sent ("" for none). */
  bodyText: string;
  /** The body parsed as JSON; 402 when it is not JSON (an empty body included). */
  json(): unknown;
  store: StateStore;
  settings: EmulatorSettings;
  /** This module's own settings (see ApiModule.settings), as currently set. */
  apiSettings: Record<string, unknown>;
}

/** On a server-token route: the server whose token came with the request; what the request touches belongs to it. */
export interface ServerRequestContext extends RequestContext {
  serverId: number;
}

export interface Route<Context extends RequestContext = RequestContext> {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** e.g. "/servers/{id:int}"; see compilePath. */
  path: string;
  /** The route that creates a resource: the only one `lost-create` strikes. */
  create?: boolean;
  handle(context: Context): Answer | Promise<Answer>;
}

export interface AdminContext {
  params: Record<string, string>;
  query: URLSearchParams;
  /** The body as a JSON object ({} when empty); 400 otherwise. */
  body(): Promise<Record<string, unknown>>;
  store: StateStore;
  settings: EmulatorSettings;
  apiSettings: Record<string, unknown>;
}

/** A route of the unauthenticated admin API; `path` is relative to /__emulator, e.g. "/servers/{id:int}". */
export interface AdminRoute {
  method: Route["method"];
  path: string;
  handle(context: AdminContext): Answer | Promise<Answer>;
}

/** One setting of a module, changed through PUT /__emulator/settings/<module name>. */
export interface ApiSetting {
  default: unknown;
  /** Completes "must be ..." in the 400 answer. */
  expected: string;
  accepts(value: unknown): boolean;
}

interface ApiModuleBase {
  /** Also the path of its settings: /__emulator/settings/<name>. */
  name: string;
  collections?: CollectionDeclaration[];
  adminRoutes?: AdminRoute[];
  settings?: Record<string, ApiSetting>;
}

export type ApiModule =
  | (ApiModuleBase & { token: "account"; routes: Route<RequestContext>[] })
  | (ApiModuleBase & { token: "server"; routes: Route<ServerRequestContext>[] });
