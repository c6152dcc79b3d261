/**
 * `npm run sdks`: the postmark package's SDKs (sdk/nodejs, sdk/python, sdk/go, sdk/dotnet) and each kind's example in
 * every language (sdk/examples/<Type>/, from provider/plugin/examples/<Type>.pp), made from provider/schema.json by
 * Pulumi's own code generators (scripts/sdkgen, built by scripts/ensure-sdkgen.sh). It writes the schema first and the
 * reference pages last (they show the examples). `npm run sdks -- --check` changes nothing and fails when sdk/ is stale;
 * tests/sdks/generated.test.ts does the same.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { FileSet, readTree, staleFiles, writeTree } from "./generatedFiles";
import { repoRoot } from "./referenceDocs";
import { schemaFile, sdkNames } from "../provider/plugin/schema";

export const sdkDir = path.join(repoRoot, "sdk");
export const pclExamplesDir = path.join(repoRoot, "provider", "plugin", "examples");

const readme = `# Generated: do not edit

Everything in this directory is written by \`npm run sdks\` from [provider/schema.json](../provider/schema.json) (itself
generated from the declarations in provider/resources) with Pulumi's own code generators, built by
scripts/ensure-sdkgen.sh from scripts/sdkgen:

| Directory | What | Generator |
| --- | --- | --- |
| nodejs | the TypeScript SDK, npm package \`${sdkNames.nodejs}\` | pkg/v3 v3.248.0 codegen/nodejs |
| python | the Python SDK, package \`${sdkNames.python}\` | pkg/v3 v3.248.0 codegen/python |
| go | the Go SDK, module \`${sdkNames.goModule}\` | pkg/v3 v3.248.0 codegen/go |
| dotnet | the .NET SDK, \`${sdkNames.csharpRootNamespace}.Postmark\` | pkg/v3 v3.206.0 codegen/dotnet (as pulumi-yaml v1.25.0 pins it) |
| examples/<Type> | provider/plugin/examples/<Type>.pp in TypeScript, Python, Go, C# and YAML, shown on the reference pages | the same, and pulumi-yaml v1.25.0's codegen |

tests/sdks/generated.test.ts fails when any file here differs from what \`npm run sdks\` writes, and builds or checks
each SDK as far as the machine allows (see the README's "Every language").
`;

/** What `npm run sdks` writes under sdk/, by path relative to it. */
export function generatedSdkFiles(): FileSet {
  const binaries = execFileSync("bash", [path.join(repoRoot, "scripts", "ensure-sdkgen.sh")], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    env: process.env,
  })
    .trim()
    .split("\n");
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-postmark-sdks-"));
  try {
    const files: FileSet = new Map([["README.md", readme]]);
    binaries.forEach((binary, index) => {
      const dir = path.join(out, String(index));
      execFileSync(binary, ["-schema", path.join(repoRoot, schemaFile), "-examples", pclExamplesDir, "-out", dir], { stdio: ["ignore", "inherit", "inherit"] });
      for (const [name, text] of readTree(dir)) {
        if (files.has(name)) throw new Error(`two builds of scripts/sdkgen wrote sdk/${name}`);
        files.set(name, text);
      }
    });
    return files;
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

function main(args: string[]): number {
  if (args.length > 1 || (args.length === 1 && args[0] !== "--check")) {
    process.stderr.write(
      `npm run sdks: unknown arguments: ${args.join(" ")}\n` +
        "usage: npm run sdks               writes provider/schema.json, sdk/ and docs/resources from the declarations\n" +
        "       npm run sdks -- --check    writes nothing; exits 1 naming each file of sdk/ that is stale\n",
    );
    return 2;
  }
  // Loaded here: writing the schema and pages is the docs generator's, which runs when loaded as a script.
  const { writePages, writeSchema } = require("./generate-docs") as typeof import("./generate-docs");
  if (args[0] === "--check") {
    const stale = staleFiles(sdkDir, generatedSdkFiles());
    if (stale.length === 0) return 0;
    process.stderr.write(`sdk/ is stale (run \`npm run sdks\`): ${stale.map((name) => `sdk/${name}`).join(", ")}\n`);
    return 1;
  }
  writeSchema();
  writeTree(sdkDir, generatedSdkFiles(), "sdk");
  writePages();
  return 0;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
