#!/usr/bin/env node
// npm run deps:check: for each runtime dependency (package.json "dependencies", which every infra repo that installs
// pulumi-postmark gets), the version package-lock.json holds and the registry's newer releases. A newer release that
// runs on this package's Node.js floor (engines.node) is one to take: the script lists it and exits 1. One that needs
// a newer Node.js is held back, and the output says so (exit 0 when that is all).
// Not `npm outdated`: run on Node.js 20 it hides a latest release whose engines exclude Node.js 20 (it showed
// @pulumi/pulumi 3.248.0 as current with 3.276.0 out). `npm audit` has no endpoint on these machines.
const { execFileSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const read = (file) => JSON.parse(fs.readFileSync(path.join(root, file), "utf8"));
const manifest = read("package.json");
const lock = read("package-lock.json");

/** The lowest Node.js major an engines range admits, for the common ">=N" form (0 when it says nothing we read). */
const lowestNodeMajor = (range) => Number(/^\s*>=\s*v?(\d+)/.exec(range ?? "")?.[1] ?? 0);
const ourNodeMajor = lowestNodeMajor(manifest.engines.node);
const byVersionDescending = (a, b) => {
  const [x, y] = [a, b].map((r) => r.version.split(/[.+-]/).map(Number));
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return y[i] - x[i];
  return 0;
};

/** The releases of `name` newer than `locked` (pre-releases excluded), each with its engines.node, newest first. */
function newerReleases(name, locked) {
  let out;
  try {
    out = execFileSync("npm", ["view", `${name}@>${locked}`, "version", "engines", "--json"], { cwd: root, encoding: "utf8", stdio: "pipe" });
  } catch (e) {
    if (/E404/.test(`${e.stdout}${e.stderr}`)) return []; // no release matches: the lock has the newest
    throw e;
  }
  // npm view prints one value bare and several as an array; with no engines field, just the version.
  return [JSON.parse(out)].flat().map((r) => (typeof r === "string" ? { version: r } : { version: r.version, node: r.engines?.node })).sort(byVersionDescending);
}

let toTake = 0;
console.log(`Runtime dependencies against the npm registry (this package runs on Node.js ${manifest.engines.node}):`);
for (const [name, range] of Object.entries(manifest.dependencies)) {
  const locked = lock.packages[`node_modules/${name}`].version;
  const newer = newerReleases(name, locked);
  const fitting = newer.filter((r) => lowestNodeMajor(r.node) <= ourNodeMajor);
  const needNewerNode = newer.filter((r) => lowestNodeMajor(r.node) > ourNodeMajor);
  const verdicts = [];
  if (fitting.length > 0) {
    toTake++;
    verdicts.push(`newer release ${fitting[0].version} to take (npm install ${name}@^${fitting[0].version}, then npm test)`);
  }
  if (needNewerNode.length > 0) {
    const [newest, oldest] = [needNewerNode[0], needNewerNode[needNewerNode.length - 1]];
    const which = newest === oldest ? `${newest.version} needs` : `${oldest.version} to ${newest.version} need`;
    verdicts.push(`held back: ${which} Node.js ${newest.node}`);
  }
  const verdict = verdicts.join("; ") || "up to date";
  console.log(`  ${name} ${range}, locked at ${locked}: ${verdict}`);
}
if (toTake > 0) console.log(`${toTake} runtime dependenc${toTake === 1 ? "y has" : "ies have"} a newer release to take.`);
process.exit(toTake > 0 ? 1 : 0);
