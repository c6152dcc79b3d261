//go:build !yamlpins

// The generators of pkg/v3 v3.248.0, the Pulumi CLI's version: TypeScript, Python and Go.
package main

import (
	"github.com/hashicorp/hcl/v2"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/hcl2/syntax"
	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/pcl"
	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

var build = generators{
	pins: "pkg/v3 v3.248.0",
	sdks: map[string]func(*schema.Package, schema.ReferenceLoader) (map[string][]byte, error){
		"nodejs": func(pkg *schema.Package, loader schema.ReferenceLoader) (map[string][]byte, error) {
			return nodejs.GeneratePackage(tool, pkg, nil, nil, false, loader)
		},
		"python": func(pkg *schema.Package, loader schema.ReferenceLoader) (map[string][]byte, error) {
			return python.GeneratePackage(tool, pkg, nil, loader)
		},
		"go": func(pkg *schema.Package, _ schema.ReferenceLoader) (map[string][]byte, error) {
			return gogen.GeneratePackage(tool, pkg, nil)
		},
	},
	programs: map[string]func(*pcl.Program) (map[string][]byte, hcl.Diagnostics, error){
		"nodejs": nodejs.GenerateProgram,
		"python": python.GenerateProgram,
		"go":     gogen.GenerateProgram,
	},
	bind: func(files []*syntax.File, loader schema.ReferenceLoader) (*pcl.Program, hcl.Diagnostics, error) {
		return pcl.BindProgram(files, loader)
	},
}
