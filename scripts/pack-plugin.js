#!/usr/bin/env node
// `npm run plugin:pack`: the postmark provider plugin as a tarball for `pulumi plugin install resource postmark <version>
// -f <tarball>`: the built provider, its production dependencies at this repo's locked versions, and the
// `pulumi-resource-postmark` executable Pulumi runs (Node.js must be on PATH). Prints the tarball's path.
const { execFileSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const root = path.resolve(__dirname, "..");
const { version } = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
const main = path.join(root, "dist", "provider", "plugin", "main.js");
if (!fs.existsSync(main)) throw new Error("dist/provider/plugin/main.js is missing: run `npm run build` first");

const staging = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-resource-postmark-"));
try {
  // The package as npm would install it (no prepare script: dist is already built), with the lock's versions.
  const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
  delete manifest.scripts;
  fs.writeFileSync(path.join(staging, "package.json"), JSON.stringify(manifest, null, 2));
  fs.copyFileSync(path.join(root, "package-lock.json"), path.join(staging, "package-lock.json"));
  fs.cpSync(path.join(root, "dist", "provider"), path.join(staging, "dist", "provider"), { recursive: true });
  execFileSync("npm", ["ci", "--omit=dev", "--ignore-scripts", "--no-audit", "--no-fund"], { cwd: staging, stdio: ["ignore", "ignore", "inherit"] });
  fs.writeFileSync(
    path.join(staging, "pulumi-resource-postmark"),
    '#!/bin/sh\nexec node "$(dirname "$0")/dist/provider/plugin/main.js" "$@"\n',
    { mode: 0o755 },
  );
  const tarball = path.join(root, "dist", `pulumi-resource-postmark-v${version}.tar.gz`);
  execFileSync("tar", ["-czf", tarball, "-C", staging, "."]);
  process.stdout.write(`${tarball}\n`);
} finally {
  fs.rmSync(staging, { recursive: true, force: true });
}
