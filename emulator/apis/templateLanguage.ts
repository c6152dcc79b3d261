/**
 * A small, real subset of Postmark's template language (Mustachio, a Mustache dialect), enough for the
 * Templates API to refuse broken content, report where it breaks, render a test model and suggest a model:
 *
 * - `{{ name }}` (HTML-escaped in an HTML body), `{{{ name }}}` (never escaped), dotted paths `a.b.c`, `.` / `this`
 *   and `../name` (the enclosing scope);
 * - sections `{{#name}}...{{/name}}` (an object is entered, an array repeated, `true` shown once, anything falsy
 *   skipped), `{{#each name}}...{{/each}}`, inverted sections `{{^name}}...{{/name}}`, comments `{{! ... }}`;
 * - `{{{@content}}}`, where a Layout puts the content of the template that uses it.
 *
 * Errors carry 1-based line and character positions, as Postmark's validation does. Anything else Mustachio
 * offers (partials, helpers) is not emulated: such content is refused as an invalid expression.
 */

export interface TemplateSyntaxError {
  Message: string;
  Line: number;
  CharacterPosition: number;
}

type Node =
  | { kind: "text"; text: string }
  | { kind: "variable"; path: string; raw: boolean }
  | { kind: "content" } // {{{@content}}}
  | { kind: "section"; path: string; each: boolean; inverted: boolean; children: Node[] };

export type Parsed = { ok: true; nodes: Node[] } | { ok: false; error: TemplateSyntaxError };

/** The layout content placeholder, written exactly like this. */
export const contentPlaceholder = "{{{@content}}}";

const pathPattern = /^(\.\.\/)*([A-Za-z_$][\w$-]*(\.[A-Za-z_$][\w$-]*)*|\.|this)$/;

/** 1-based line and character of `offset` in `text`. */
function positionOf(text: string, offset: number): { Line: number; CharacterPosition: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf("\n") + 1;
  return { Line: before.split("\n").length, CharacterPosition: offset - lineStart + 1 };
}

export function parseTemplate(text: string): Parsed {
  const fail = (offset: number, message: string): Parsed => ({ ok: false, error: { Message: message, ...positionOf(text, offset) } });
  const root: Node[] = [];
  /** Open sections, innermost last, with where they were opened. */
  const open: { node: Extract<Node, { kind: "section" }>; offset: number; tag: string }[] = [];
  const current = () => (open.length > 0 ? open[open.length - 1].node.children : root);
  let at = 0;
  while (at < text.length) {
    const opening = text.indexOf("{{", at);
    const textEnd = opening === -1 ? text.length : opening;
    const stray = text.indexOf("}}", at);
    if (stray !== -1 && stray < textEnd) return fail(stray, "Unexpected '}}' without a matching '{{'.");
    if (textEnd > at) current().push({ kind: "text", text: text.slice(at, textEnd) });
    if (opening === -1) break;

    const raw = text.startsWith("{{{", opening);
    const closer = raw ? "}}}" : "}}";
    const innerStart = opening + (raw ? 3 : 2);
    const closing = text.indexOf(closer, innerStart);
    const nested = text.indexOf("{{", innerStart);
    if (closing === -1 || (nested !== -1 && nested < closing)) return fail(opening, `The tag opened with '${raw ? "{{{" : "{{"}' is never closed with '${closer}'.`);
    const inner = text.slice(innerStart, closing).trim();
    at = closing + closer.length;

    if (inner === "") return fail(opening, "Empty tag: a tag must name a value.");
    if (raw) {
      if (inner === "@content") current().push({ kind: "content" });
      else if (pathPattern.test(inner)) current().push({ kind: "variable", path: inner, raw: true });
      else return fail(opening, `Invalid expression '${inner}'.`);
      continue;
    }
    const sigil = inner[0];
    if (sigil === "!") continue;
    if (sigil === "#" || sigil === "^") {
      const expression = inner.slice(1).trim();
      const eachMatch = sigil === "#" ? /^each\s+(.+)$/.exec(expression) : null;
      const path = (eachMatch ? eachMatch[1] : expression).trim();
      if (!pathPattern.test(path)) return fail(opening, `Invalid expression '${path}' in the block '{{${inner}}}'.`);
      const node = { kind: "section" as const, path, each: eachMatch !== null, inverted: sigil === "^", children: [] };
      current().push(node);
      open.push({ node, offset: opening, tag: `{{${inner}}}` });
      continue;
    }
    if (sigil === "/") {
      const name = inner.slice(1).trim();
      const innermost = open[open.length - 1];
      if (!innermost) return fail(opening, `'{{${inner}}}' closes a block that was never opened.`);
      const expected = innermost.node.each ? "each" : innermost.node.path;
      if (name !== expected) return fail(opening, `'{{${inner}}}' does not close the innermost open block '${innermost.tag}' (expected '{{/${expected}}}').`);
      open.pop();
      continue;
    }
    if (!pathPattern.test(inner)) return fail(opening, `Invalid expression '${inner}'.`);
    current().push({ kind: "variable", path: inner, raw: false });
  }
  const unclosed = open[open.length - 1];
  if (unclosed) return fail(unclosed.offset, `The block '${unclosed.tag}' is never closed.`);
  return { ok: true, nodes: root };
}

/** How many times the layout placeholder appears (as a tag, whatever its spacing). */
export function countContentPlaceholders(nodes: Node[]): number {
  return nodes.reduce((count, node) => count + (node.kind === "content" ? 1 : node.kind === "section" ? countContentPlaceholders(node.children) : 0), 0);
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** A path looked up from the innermost scope outwards (Mustache's rule); `../` starts one scope further out. */
function lookUp(scopes: unknown[], path: string): unknown {
  let depth = scopes.length - 1;
  let rest = path;
  while (rest.startsWith("../")) {
    depth -= 1;
    rest = rest.slice(3);
  }
  if (depth < 0) return undefined;
  if (rest === "." || rest === "this") return scopes[depth];
  const [first, ...more] = rest.split(".");
  for (let scope = depth; scope >= 0; scope -= 1) {
    const holder = scopes[scope];
    if (typeof holder === "object" && holder !== null && Object.hasOwn(holder, first)) {
      return more.reduce<unknown>((value, key) => (typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined), (holder as Record<string, unknown>)[first]);
    }
  }
  return undefined;
}

const truthy = (value: unknown) => (Array.isArray(value) ? value.length > 0 : Boolean(value));

/**
 * Renders parsed content with `model`. Missing values render as nothing, without an error (as in Postmark).
 * `content` replaces `{{{@content}}}` (the rendered template, when a Layout is rendered around it).
 */
export function render(nodes: Node[], model: unknown, options: { html: boolean; content?: string }): string {
  const walk = (list: Node[], scopes: unknown[]): string =>
    list
      .map((node) => {
        switch (node.kind) {
          case "text":
            return node.text;
          case "content":
            return options.content ?? "";
          case "variable": {
            const value = lookUp(scopes, node.path);
            const text = value === undefined || value === null || typeof value === "object" ? "" : String(value);
            return options.html && !node.raw ? escapeHtml(text) : text;
          }
          case "section": {
            const value = lookUp(scopes, node.path);
            if (node.inverted) return truthy(value) ? "" : walk(node.children, scopes);
            if (!truthy(value)) return "";
            if (Array.isArray(value)) return value.map((item) => walk(node.children, [...scopes, item])).join("");
            if (node.each) return "";
            return walk(node.children, typeof value === "object" ? [...scopes, value] : scopes);
          }
        }
      })
      .join("");
  return walk(nodes, [model ?? {}]);
}

type Suggestion = Record<string, unknown>;

/**
 * Adds to `model` the model the content needs, as Postmark's SuggestedTemplateModel does: a value `name` becomes
 * "name_Value", a path `a.b` an object, a section an object and an `each` block a list of one item.
 */
export function suggestModel(nodes: Node[], model: Suggestion): Suggestion {
  const at = (scope: Suggestion, path: string, leaf: (name: string, existing: unknown) => unknown): unknown => {
    const keys = path.split(".");
    let holder = scope;
    for (const key of keys.slice(0, -1)) {
      if (typeof holder[key] !== "object" || holder[key] === null || Array.isArray(holder[key])) holder[key] = {};
      holder = holder[key] as Suggestion;
    }
    const last = keys[keys.length - 1];
    holder[last] = leaf(last, holder[last]);
    return holder[last];
  };
  const walk = (list: Node[], scopes: Suggestion[]) => {
    for (const node of list) {
      if (node.kind !== "variable" && node.kind !== "section") continue;
      let depth = scopes.length - 1;
      let path = node.path;
      while (path.startsWith("../")) {
        depth = Math.max(0, depth - 1);
        path = path.slice(3);
      }
      const scope = scopes[depth];
      if (path === "." || path === "this") {
        if (node.kind === "section") walk(node.children, scopes);
        continue;
      }
      if (node.kind === "variable") {
        at(scope, path, (name, existing) => existing ?? `${name}_Value`);
      } else if (node.inverted) {
        walk(node.children, scopes);
      } else if (node.each) {
        const list = at(scope, path, (_, existing) => (Array.isArray(existing) && typeof existing[0] === "object" ? existing : [{}])) as Suggestion[];
        walk(node.children, [...scopes, list[0]]);
      } else {
        const object = at(scope, path, (_, existing) => (typeof existing === "object" && existing !== null && !Array.isArray(existing) ? existing : {})) as Suggestion;
        walk(node.children, [...scopes, object]);
      }
    }
  };
  walk(nodes, [model]);
  return model;
}
