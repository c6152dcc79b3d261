/**
 * Generated files where they are checked in (docs/resources, provider/schema.json, sdk/): written only when they
 * differ, stale ones removed, and compared by the tests that fail when one is stale.
 */
import * as fs from "fs";
import * as path from "path";

/** File contents by path relative to a directory ("/" between parts). */
export type FileSet = Map<string, string | Buffer>;

/** Every file under `dir` that `owned` takes (none when `dir` does not exist); the others are not read. */
export function readTree(dir: string, owned: (file: string) => boolean = () => true, prefix = ""): FileSet {
  const files: FileSet = new Map();
  if (!fs.existsSync(dir)) return files;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const relative = prefix + entry.name;
    if (entry.isDirectory()) for (const [name, text] of readTree(path.join(dir, entry.name), owned, `${relative}/`)) files.set(name, text);
    else if (owned(relative)) files.set(relative, fs.readFileSync(path.join(dir, entry.name)));
  }
  return files;
}

const same = (a: string | Buffer, b: string | Buffer) => Buffer.from(a).equals(Buffer.from(b));

/** The paths that differ between `files` and what `dir` holds of `owned` files: changed, missing or not generated. */
export function staleFiles(dir: string, files: FileSet, owned: (file: string) => boolean = () => true): string[] {
  const onDisk = readTree(dir, owned);
  const names = new Set([...files.keys(), ...onDisk.keys()]);
  return [...names].filter((name) => !files.has(name) || !onDisk.has(name) || !same(files.get(name)!, onDisk.get(name)!)).sort();
}

/** Makes `dir` hold `files`: writes those that differ, removes the `owned` files not among them; says what it did. */
export function writeTree(dir: string, files: FileSet, label: string, owned: (file: string) => boolean = () => true): void {
  const onDisk = readTree(dir, owned);
  for (const name of [...onDisk.keys()].filter((name) => !files.has(name))) {
    fs.rmSync(path.join(dir, name));
    process.stdout.write(`removed ${label}/${name}\n`);
  }
  for (const [name, text] of files) {
    const unchanged = onDisk.has(name) && same(onDisk.get(name)!, text);
    if (!unchanged) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
    }
    process.stdout.write(`${unchanged ? "unchanged" : "wrote"} ${label}/${name}\n`);
  }
}
