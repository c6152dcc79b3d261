/**
 * pulumi-postmark is installed into users' infra repos. An exact pin on a runtime dependency would nest that one copy
 * (its advisories included) in every one of them, out of reach of their own lockfile and `npm update`; a range lets
 * them take a fixed release the day it is out. This repo's own builds are pinned by package-lock.json.
 */
import * as fs from "fs";
import * as path from "path";

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8"));
const exactVersion = /^(=\s*)?v?\d+\.\d+\.\d+([-+][0-9A-Za-z.+-]*)?$/;

it.each(Object.entries(manifest.dependencies as Record<string, string>))(
  "runtime dependency %s (%s) is a range, not an exact pin, so a user's lockfile can take a fixed release",
  (_name, version) => {
    expect(version).not.toMatch(exactVersion);
    expect(version).toMatch(/\d/); // a version range, not a tag such as "latest" or a git URL
  },
);
