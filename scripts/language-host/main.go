// pulumi-language-nodejs for pulumi-postmark's own builds of the Pulumi CLI.
//
// Pulumi's language host is its own untagged Go module, and the Go module proxy these machines reach
// answers 403 "This module version is not available." for it (list and every commit). The engine itself
// (pkg/v3) and the gRPC contract (sdk/v3/proto/go) are served, so this small host implements the part of
// the LanguageRuntime contract that `pulumi up/preview/refresh/destroy` use: it launches Pulumi's own
// Node.js runtime (`@pulumi/pulumi/cmd/run`) exactly as the engine expects and reports how it exited.
// It also runs Node.js plugins from source (`RunPlugin`, for a plugin directory with a PulumiPlugin.yaml, as the
// `postmark` provider plugin's in provider/plugin) the way Pulumi's host does: `@pulumi/pulumi/cmd/run-plugin`.
// For `pulumi package add` it generates a package's TypeScript SDK (`GeneratePackage`), adds it to the program's
// package.json (`Link`) and installs it (`InstallDependencies`); for `pulumi import` it writes TypeScript
// (`GenerateProgram`): each with Pulumi's own code (codegen/nodejs, sdk/nodejs/npm) as Pulumi's host calls it.
// Everything else (plugin discovery, `pulumi about`, `pulumi new`, project generation) answers Unimplemented, which
// the engine treats as "nothing to report".
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/pkg/v3/codegen/cgstrings"
	hclsyntax "github.com/pulumi/pulumi/pkg/v3/codegen/hcl2/syntax"
	codegen "github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/pcl"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/fsutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	"github.com/pulumi/pulumi/sdk/v3/nodejs/npm"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
)

// Exit code with which @pulumi/pulumi/cmd/run says it has already reported the error to the user.
const exitedAfterReportingError = 32

type nodeHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	engineAddress string
}

func main() {
	// The engine passes its own address as the last argument; flags before it (tracing, root) are not needed here.
	engineAddress := ""
	for _, arg := range os.Args[1:] {
		if !strings.HasPrefix(arg, "-") {
			engineAddress = arg
		}
	}
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: cannot listen: %v\n", err)
		os.Exit(1)
	}
	server := grpc.NewServer(grpc.MaxRecvMsgSize(400 * 1024 * 1024))
	pulumirpc.RegisterLanguageRuntimeServer(server, &nodeHost{engineAddress: engineAddress})
	// The engine reads the port from our first line of stdout.
	fmt.Printf("%d\n", listener.Addr().(*net.TCPAddr).Port)
	if err := server.Serve(listener); err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: %v\n", err)
		os.Exit(1)
	}
}

func (h *nodeHost) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version.Version}, nil
}

func (h *nodeHost) Handshake(
	_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	if req.GetEngineAddress() != "" {
		h.engineAddress = req.GetEngineAddress()
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *nodeHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	pwd := firstNonEmpty(info.GetProgramDirectory(), req.GetPwd())
	program := firstNonEmpty(info.GetEntryPoint(), req.GetProgram(), ".")
	options := info.GetOptions().AsMap()

	runPath, err := findPulumiScript(pwd, "run")
	if err != nil {
		return nil, err
	}

	args := strings.Fields(stringOption(options, "nodeargs"))
	args = append(args, runPath, "--monitor", req.GetMonitorAddress())
	appendFlag := func(name, value string) {
		if value != "" {
			args = append(args, "--"+name, value)
		}
	}
	appendFlag("engine", h.engineAddress)
	appendFlag("organization", req.GetOrganization())
	appendFlag("project", req.GetProject())
	appendFlag("root-directory", info.GetRootDirectory())
	appendFlag("stack", req.GetStack())
	appendFlag("pwd", pwd)
	appendFlag("parallel", fmt.Sprint(req.GetParallel()))
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	args = append(args, program)
	args = append(args, req.GetArgs()...)

	configMap := req.GetConfig()
	if configMap == nil {
		configMap = map[string]string{} // the runtime reads "null" as an error
	}
	config, err := json.Marshal(configMap)
	if err != nil {
		return nil, err
	}
	secretKeys, err := json.Marshal(nonNil(req.GetConfigSecretKeys()))
	if err != nil {
		return nil, err
	}
	env := append(os.Environ(),
		"PULUMI_CONFIG="+string(config),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secretKeys),
		// TypeScript is on unless Pulumi.yaml's runtime options turn it off, as with Pulumi's own host.
		fmt.Sprintf("PULUMI_NODEJS_TYPESCRIPT=%v", options["typescript"] != false),
	)
	if tsconfig := stringOption(options, "tsconfig"); tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+tsconfig)
	}

	cmd := exec.CommandContext(ctx, "node", args...)
	cmd.Dir = pwd
	cmd.Env = env
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	err = cmd.Run()
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		return &pulumirpc.RunResponse{}, nil
	case errors.As(err, &exitErr) && exitErr.ExitCode() == exitedAfterReportingError:
		return &pulumirpc.RunResponse{Bail: true}, nil
	case errors.As(err, &exitErr):
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exitErr.ExitCode())}, nil
	default:
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not run node: %v", err)}, nil
	}
}

// RunPlugin runs a Node.js plugin from its source directory, as Pulumi's host does: Pulumi's
// `cmd/run-plugin` loads the directory's package (its `main` starts the plugin), in the caller's working
// directory, with the caller's environment; its output is streamed back.
func (h *nodeHost) RunPlugin(req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer) error {
	info := req.GetInfo()
	runPath, err := findPulumiScript(info.GetProgramDirectory(), "run-plugin")
	if err != nil {
		return err
	}
	closer, stdout, stderr, err := rpcutil.MakeRunPluginStreams(server, false)
	if err != nil {
		return err
	}
	defer closer.Close()

	options := info.GetOptions().AsMap()
	args := []string{runPath}
	args = append(args, strings.Fields(stringOption(options, "nodeargs"))...)
	args = append(args, info.GetProgramDirectory())
	args = append(args, req.GetArgs()...)
	env := req.GetEnv()
	if options["typescript"] != false {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	cmd := exec.CommandContext(server.Context(), "node", args...)
	cmd.Dir = req.GetPwd()
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			return fmt.Errorf("Program exited with non-zero exit code: %d", exitErr.ExitCode())
		}
		return fmt.Errorf("could not run node: %w", err)
	}
	return closer.Close()
}

// GeneratePackage writes a package's TypeScript SDK (`pulumi package add`, `pulumi package gen-sdk`), as Pulumi's host
// does: codegen/nodejs on the schema, bound with the engine's loader.
func (h *nodeHost) GeneratePackage(
	ctx context.Context, req *pulumirpc.GeneratePackageRequest,
) (*pulumirpc.GeneratePackageResponse, error) {
	loader, err := schema.NewLoaderClient(req.GetLoaderTarget())
	if err != nil {
		return nil, err
	}
	defer loader.Close()
	var spec schema.PackageSpec
	if err := json.Unmarshal([]byte(req.GetSchema()), &spec); err != nil {
		return nil, err
	}
	cached := schema.NewCachedLoader(loader)
	pkg, diags, err := schema.BindSpec(spec, cached, schema.ValidationOptions{AllowDanglingReferences: true})
	if err != nil {
		return nil, err
	}
	if diags.HasErrors() {
		return &pulumirpc.GeneratePackageResponse{Diagnostics: plugin.HclDiagnosticsToRPCDiagnostics(diags)}, nil
	}
	files, err := codegen.GeneratePackage(
		"pulumi-language-nodejs", pkg, req.GetExtraFiles(), req.GetLocalDependencies(), req.GetLocal(), cached)
	if err != nil {
		return nil, err
	}
	for name, contents := range files {
		target := filepath.Join(req.GetDirectory(), name)
		if err := os.MkdirAll(filepath.Dir(target), 0o700); err != nil {
			return nil, err
		}
		if err := os.WriteFile(target, contents, 0o600); err != nil {
			return nil, err
		}
	}
	return &pulumirpc.GeneratePackageResponse{Diagnostics: plugin.HclDiagnosticsToRPCDiagnostics(diags)}, nil
}

// Link adds generated SDKs to the program's package.json as `file:` dependencies (with the package manager the
// program uses, through Pulumi's npm package, as Pulumi's host does) and says how to import them.
func (h *nodeHost) Link(ctx context.Context, req *pulumirpc.LinkRequest) (*pulumirpc.LinkResponse, error) {
	info := req.GetInfo()
	options := info.GetOptions().AsMap()
	pm, err := npm.ResolvePackageManager(packageManagerOption(options), info.GetProgramDirectory())
	if err != nil {
		return nil, err
	}
	loader, err := schema.NewLoaderClient(req.GetLoaderTarget())
	if err != nil {
		return nil, err
	}
	defer loader.Close()
	cached := schema.NewCachedLoader(loader)

	// A TypeScript program (Pulumi's ts-node, or a tsconfig.json) imports; a CommonJS one requires.
	_, tsconfigErr := fsutil.Searchup(info.GetProgramDirectory(), "tsconfig.json")
	typescript := options["typescript"] != false || tsconfigErr == nil
	var imports strings.Builder
	for _, dep := range req.GetPackages() {
		descriptor := &schema.PackageDescriptor{Name: dep.GetPackage().GetName(), DownloadURL: dep.GetPackage().GetServer()}
		if v, err := semver.New(dep.GetPackage().GetVersion()); err == nil {
			descriptor.Version = v
		}
		ref, err := schema.LoadPackageReferenceV2(ctx, cached, descriptor)
		if err != nil {
			return nil, err
		}
		pkg, err := ref.Definition()
		if err != nil {
			return nil, err
		}
		if err := pkg.ImportLanguages(map[string]schema.Language{"nodejs": codegen.Importer}); err != nil {
			return nil, err
		}
		name := "@pulumi/" + pkg.Name
		if pkg.Namespace != "" {
			name = "@" + pkg.Namespace + "/" + pkg.Name
		}
		if nodeInfo, ok := pkg.Language["nodejs"].(codegen.NodePackageInfo); ok && nodeInfo.PackageName != "" {
			name = nodeInfo.PackageName
		}
		if err := pm.Link(ctx, info.GetProgramDirectory(), name, dep.GetPath()); err != nil {
			return nil, err
		}
		if typescript {
			fmt.Fprintf(&imports, "  import * as %s from \"%s\";\n", cgstrings.Camel(ref.Name()), name)
		} else {
			fmt.Fprintf(&imports, "  const %s = require(\"%s\");\n", cgstrings.Camel(ref.Name()), name)
		}
	}
	language := map[bool]string{true: "TypeScript", false: "JavaScript"}[typescript]
	return &pulumirpc.LinkResponse{
		ImportInstructions: fmt.Sprintf("You can import the SDK in your %s code with:\n\n%s", language, imports.String()),
	}, nil
}

// InstallDependencies installs a program's packages with its package manager (after `pulumi package add`, or for
// `pulumi install`). A plugin run from source whose package.json declares no dependencies (the postmark plugin's:
// its code is the built repository) has nothing to install, and its directory is left as it is.
func (h *nodeHost) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest, server pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	closer, stdout, stderr, err := rpcutil.MakeInstallDependenciesStreams(server, req.GetIsTerminal())
	if err != nil {
		return err
	}
	defer closer.Close()
	dir := req.GetInfo().GetProgramDirectory()
	if root, err := npm.FindWorkspaceRoot(dir); err == nil {
		dir = root
	} else if !errors.Is(err, npm.ErrNotInWorkspace) {
		return err
	}
	if req.GetIsPlugin() && !declaresDependencies(dir) {
		fmt.Fprintf(stdout, "%s declares no dependencies: nothing to install\n", filepath.Join(dir, "package.json"))
		return closer.Close()
	}
	fmt.Fprintf(stdout, "Installing dependencies...\n\n")
	if _, err := npm.Install(server.Context(), packageManagerOption(req.GetInfo().GetOptions().AsMap()), dir, false, stdout, stderr); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Finished installing dependencies\n\n")
	return closer.Close()
}

// GenerateProgram turns PCL into TypeScript: what `pulumi import` writes for a Node.js program (and `pulumi convert`).
func (h *nodeHost) GenerateProgram(
	ctx context.Context, req *pulumirpc.GenerateProgramRequest,
) (*pulumirpc.GenerateProgramResponse, error) {
	loader, err := schema.NewLoaderClient(req.GetLoaderTarget())
	if err != nil {
		return nil, err
	}
	defer loader.Close()
	parser := hclsyntax.NewParser()
	for path, contents := range req.GetSource() {
		if err := parser.ParseFile(strings.NewReader(contents), path); err != nil {
			return nil, err
		}
		if parser.Diagnostics.HasErrors() {
			return nil, parser.Diagnostics
		}
	}
	options := []pcl.BindOption{pcl.PreferOutputVersionedInvokes}
	if !req.GetStrict() {
		options = append(options, pcl.NonStrictBindOptions()...)
	}
	program, diags, err := pcl.BindProgram(parser.Files, schema.NewCachedLoader(loader), options...)
	if err != nil {
		return nil, err
	}
	if diags.HasErrors() || program == nil {
		return &pulumirpc.GenerateProgramResponse{Diagnostics: plugin.HclDiagnosticsToRPCDiagnostics(diags)}, nil
	}
	files, generated, err := codegen.GenerateProgram(program)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.GenerateProgramResponse{
		Source:      files,
		Diagnostics: plugin.HclDiagnosticsToRPCDiagnostics(append(diags, generated...)),
	}, nil
}

// declaresDependencies tells whether dir's package.json names any dependency to install.
func declaresDependencies(dir string) bool {
	manifest, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if err != nil {
		return true // let the package manager say what is wrong
	}
	var declared map[string]json.RawMessage
	if err := json.Unmarshal(manifest, &declared); err != nil {
		return true
	}
	for _, field := range []string{"dependencies", "devDependencies", "optionalDependencies"} {
		if deps, ok := declared[field]; ok && string(deps) != "{}" {
			return true
		}
	}
	return false
}

// packageManagerOption is Pulumi.yaml's `packagemanager` runtime option (npm, yarn, pnpm, bun), or auto-detection.
func packageManagerOption(options map[string]any) npm.PackageManagerType {
	if name, ok := options["packagemanager"].(string); ok && name != "" {
		return npm.PackageManagerType(name)
	}
	return npm.AutoPackageManager
}

// findPulumiScript looks for one of @pulumi/pulumi's `cmd` scripts the way Node would: in node_modules of
// the program's folder or above.
func findPulumiScript(dir, script string) (string, error) {
	for d := dir; ; d = filepath.Dir(d) {
		candidate := filepath.Join(d, "node_modules", "@pulumi", "pulumi", "cmd", script)
		if _, err := os.Stat(filepath.Join(candidate, "index.js")); err == nil {
			return candidate, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("@pulumi/pulumi is not installed in %s or above it: run `npm install`", dir)
		}
	}
}

func stringOption(options map[string]any, name string) string {
	if s, ok := options[name].(string); ok {
		return s
	}
	return ""
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

func nonNil(values []string) []string {
	if values == nil {
		return []string{}
	}
	return values
}
