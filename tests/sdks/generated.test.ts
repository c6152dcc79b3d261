/**
 * sdk/ (the SDKs and each kind's example in every language) is what `npm run sdks` writes from provider/schema.json, and
 * each SDK is checked as far as this machine allows: the TypeScript SDK and examples compile; the Go SDK and examples
 * build and pass go vet against Pulumi's Go SDK at the CLI's version; the Python SDK byte-compiles and the examples
 * pass pyright (with `pulumi`, which only PyPI has, unresolved: the SDK's names and arguments are checked, not
 * Pulumi's own types). The .NET SDK is generated and checked for staleness only: nothing here builds it, since Debian
 * has no .NET SDK package and NuGet (where Pulumi's .NET SDK is) is not reachable from these machines.
 */
import { execFileSync, ExecFileSyncOptions } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { staleFiles } from "../../scripts/generatedFiles";
import { exampleLanguages } from "../../scripts/referenceDocs";
import { generatedSdkFiles, sdkDir } from "../../scripts/generate-sdks";
import { sdkNames } from "../../provider/plugin/schema";
import { pulumiBinDir, repoRoot } from "../lifecycle/pulumiHarness";

jest.setTimeout(1_800_000);

const examplesDir = path.join(sdkDir, "examples");
const examples = (file: string) => fs.readdirSync(examplesDir).map((type) => path.join(examplesDir, type, file));
const bin = (name: string) => path.join(repoRoot, "node_modules", ".bin", name);

let scratch: string;
beforeAll(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-postmark-sdk-checks-"));
});
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** Runs a check; its output is kept for the failure message. */
function run(command: string, args: string[], options: ExecFileSyncOptions = {}): string {
  try {
    return execFileSync(command, args, { encoding: "utf8", stdio: "pipe", env: process.env, ...options }) as string;
  } catch (e) {
    const failed = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command} ${args.join(" ")} failed:\n${failed.stdout ?? ""}${failed.stderr ?? failed.message}`);
  }
}

describe("sdk/", () => {
  it("is what `npm run sdks` writes from provider/schema.json and provider/plugin/examples (run it after changing either)", () => {
    expect(staleFiles(sdkDir, generatedSdkFiles())).toEqual([]);
  });

  it("has every kind's example in every language the reference pages show", () => {
    const missing = exampleLanguages.flatMap(({ file }) => examples(file).filter((example) => !fs.existsSync(example)));
    expect(missing.map((example) => path.relative(repoRoot, example))).toEqual([]);
  });
});

describe("TypeScript", () => {
  it("the SDK compiles (its own tsconfig, strict), and so does each example against it", () => {
    run(bin("tsc"), ["-p", path.join(sdkDir, "nodejs"), "--noEmit"]);
    const tsconfig = path.join(scratch, "tsconfig.examples.json");
    const compilerOptions = {
      strict: true,
      noEmit: true,
      target: "ES2022",
      module: "commonjs",
      moduleResolution: "node",
      skipLibCheck: true,
      types: ["node"],
      typeRoots: [path.join(repoRoot, "node_modules", "@types")],
      paths: { [sdkNames.nodejs]: [path.join(sdkDir, "nodejs", "index.ts")] },
    };
    fs.writeFileSync(tsconfig, JSON.stringify({ compilerOptions, files: examples("index.ts") }));
    run(bin("tsc"), ["-p", tsconfig]);
  });
});

describe("Go", () => {
  it("the SDK builds and passes go vet, and each example compiles against it (github.com/pulumi/pulumi/sdk/v3 at the CLI's version)", () => {
    const module = path.join(scratch, "go-examples");
    for (const example of examples("main.go")) {
      const dir = path.join(module, path.basename(path.dirname(example)));
      fs.mkdirSync(dir, { recursive: true });
      fs.copyFileSync(example, path.join(dir, "main.go"));
    }
    // The CLI's build module, where ensure-pulumi.sh built it, pins every module the build already fetched and compiled.
    const cliModule = path.join(path.dirname(pulumiBinDir()), "wrapper");
    if (fs.existsSync(path.join(cliModule, "go.sum"))) {
      fs.copyFileSync(path.join(cliModule, "go.mod"), path.join(module, "go.mod"));
      fs.copyFileSync(path.join(cliModule, "go.sum"), path.join(module, "go.sum"));
    } else {
      fs.writeFileSync(path.join(module, "go.mod"), "module examples\n\ngo 1.24\n\nrequire github.com/pulumi/pulumi/sdk/v3 v3.248.0\n");
    }
    const env = { ...process.env, GOFLAGS: "-mod=mod", CGO_ENABLED: "0" };
    run("go", ["mod", "edit", "-module", "pulumi-postmark/sdk-examples", `-require=${sdkNames.goModule}@v0.0.0`, `-replace=${sdkNames.goModule}=${path.join(sdkDir, "go")}`], { cwd: module, env });
    // The CLI's build flags, so the packages it compiled are taken from Go's build cache.
    const flags = ["-trimpath", "-tags", "osusergo,grpcnotrace"];
    run("go", ["build", ...flags, `${sdkNames.goModule}/...`, "./..."], { cwd: module, env });
    run("go", ["vet", ...flags, `${sdkNames.goModule}/...`, "./..."], { cwd: module, env });
  });
});

describe("Python", () => {
  it("the SDK byte-compiles (python3 -m compileall)", () => {
    run("python3", ["-m", "compileall", "-q", path.join(sdkDir, "python")], { env: { ...process.env, PYTHONPYCACHEPREFIX: path.join(scratch, "pycache") } });
  });

  it("each example passes pyright against the SDK (pulumi itself unresolved: PyPI is not reachable here)", () => {
    const config = path.join(scratch, "pyrightconfig.json");
    fs.writeFileSync(config, JSON.stringify({ extraPaths: [path.join(sdkDir, "python")], reportMissingImports: "none", reportMissingModuleSource: "none", pythonVersion: "3.11" }));
    expect(run(bin("pyright"), ["-p", config, ...examples("__main__.py")])).toContain("0 errors");
  });
});
