#!/usr/bin/env node
// Links this checkout into its own node_modules as `pulumi-postmark`, so the repo's Pulumi programs,
// examples and lifecycle tests load the provider exactly as an infra repo does: by package name.
// (The serialized provider `require`s "pulumi-postmark/..." from the program's node_modules.)
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const link = path.join(root, "node_modules", "pulumi-postmark");
fs.mkdirSync(path.dirname(link), { recursive: true });
try {
  if (fs.readlinkSync(link) === "..") process.exit(0);
} catch {
  // not a link yet
}
fs.rmSync(link, { recursive: true, force: true });
fs.symlinkSync("..", link, "dir");
