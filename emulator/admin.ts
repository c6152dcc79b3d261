/**
 * The admin API under /__emulator/ (a prefix Postmark does not use), for tests and demos: no auth, faults,
 * latency or JSON header rules, and not in the request log. The core's routes (request log, reset, settings,
 * each module's settings) are here; each API module brings its own routes for hand edits.
 */
import * as http from "node:http";
import { AdminContext, AdminRoute, ApiModule } from "./api";
import { ApiError, badRequest } from "./errors";
import { Answer, compilePath, ok, readBody } from "./http";
import { RequestLog } from "./requestLog";
import { checkSettings, EmulatorSettings, SettingError } from "./settings";
import { StateStore } from "./store";

export interface AdminState {
  store: StateStore;
  settings: EmulatorSettings;
  /** Each module's own settings, by module name. */
  apiSettings: Map<string, Record<string, unknown>>;
  requestLog: RequestLog;
  /** Applies changed settings (a new seed restarts the fault PRNG). */
  applySettings(changed: Partial<EmulatorSettings>): void;
}

export const adminPrefix = "/__emulator";

interface CompiledAdminRoute extends AdminRoute {
  match: ReturnType<typeof compilePath>;
  /** The module whose settings its handlers see; none for the core's routes. */
  module?: string;
}

/** The core's routes, then every module's; the first match answers. */
export function adminRouter(modules: ApiModule[], state: AdminState) {
  const coreRoutes: AdminRoute[] = [
    { method: "GET", path: "/requests", handle: () => ok(state.requestLog.entries) },
    {
      method: "DELETE",
      path: "/requests",
      handle: () => {
        state.requestLog.clear();
        return ok(state.requestLog.entries);
      },
    },
    {
      // Settings and the next IDs stay, as Postmark never reuses an ID.
      method: "POST",
      path: "/reset",
      handle: () => {
        state.store.change((draft) => draft.clear());
        state.requestLog.clear();
        return ok({ servers: 0, requests: 0 });
      },
    },
    { method: "GET", path: "/settings", handle: () => ok(state.settings) },
    {
      method: "PUT",
      path: "/settings",
      handle: async ({ body }) => {
        state.applySettings(checkSettings(await body()));
        return ok(state.settings);
      },
    },
  ];
  const moduleSettingRoutes = (module: ApiModule): AdminRoute[] =>
    module.settings === undefined
      ? []
      : [
          { method: "GET", path: `/settings/${module.name}`, handle: ({ apiSettings }) => ok(apiSettings) },
          {
            method: "PUT",
            path: `/settings/${module.name}`,
            handle: async ({ apiSettings, body }) => {
              const changes = await body();
              // All checked before any is applied, so a bad value changes nothing.
              for (const [name, value] of Object.entries(changes)) {
                const setting = module.settings![name];
                if (!setting) throw badRequest(`unknown setting ${name} (known: ${Object.keys(module.settings!).join(", ")})`);
                if (!setting.accepts(value)) throw badRequest(`${name} must be ${setting.expected}; got ${JSON.stringify(value)}`);
              }
              Object.assign(apiSettings, changes);
              return ok(apiSettings);
            },
          },
        ];
  const routes: CompiledAdminRoute[] = [
    ...coreRoutes.map((route) => ({ ...route, match: compilePath(route.path) })),
    ...modules.flatMap((module) =>
      [...moduleSettingRoutes(module), ...(module.adminRoutes ?? [])].map((route) => ({ ...route, match: compilePath(route.path), module: module.name })),
    ),
  ];

  return async function answerAdmin(req: http.IncomingMessage, url: URL): Promise<Answer> {
    const path = url.pathname.slice(adminPrefix.length);
    for (const route of routes) {
      if (route.method !== req.method) continue;
      const params = route.match(path);
      if (!params) continue;
      const context: AdminContext = {
        params,
        query: url.searchParams,
        body: () => readObject(req),
        store: state.store,
        settings: state.settings,
        apiSettings: (route.module && state.apiSettings.get(route.module)) || {},
      };
      try {
        return await route.handle(context);
      } catch (error) {
        if (error instanceof SettingError) return { status: 400, body: { Message: error.message } };
        if (error instanceof ApiError) return { status: error.status, body: { Message: error.message } };
        throw error;
      }
    }
    return { status: 404, body: { Message: `No admin route ${req.method} ${url.pathname}` } };
  };
}

async function readObject(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  const text = await readBody(req);
  let value: unknown;
  try {
    value = JSON.parse(text || "{}");
  } catch {
    value = undefined;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw badRequest("the body must be a JSON object");
  return value as Record<string, unknown>;
}
