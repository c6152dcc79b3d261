//go:build yamlpins

// The generators built with the module versions github.com/pulumi/pulumi-yaml v1.25.0 pins (pkg/v3 v3.206.0), as
// ensure-pulumi.sh builds pulumi-language-yaml v1.25.0: YAML programs, and .NET (SDK and programs).
package main

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"

	"github.com/hashicorp/hcl/v2"
	yamlgen "github.com/pulumi/pulumi-yaml/pkg/pulumiyaml/codegen"
	"github.com/pulumi/pulumi/pkg/v3/codegen/dotnet"
	"github.com/pulumi/pulumi/pkg/v3/codegen/hcl2/syntax"
	"github.com/pulumi/pulumi/pkg/v3/codegen/pcl"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

var build = generators{
	pins: "pulumi-yaml v1.25.0, pkg/v3 v3.206.0",
	sdks: map[string]func(*schema.Package, schema.ReferenceLoader) (map[string][]byte, error){
		"dotnet": func(pkg *schema.Package, _ schema.ReferenceLoader) (map[string][]byte, error) {
			// The generator downloads the package's logo (the NuGet package's icon), by default Pulumi's from GitHub,
			// which these machines cannot reach: it is given a plain one made here instead.
			http.DefaultTransport.(*http.Transport).RegisterProtocol("sdkgen", logo{})
			pkg.LogoURL = "sdkgen://logo/logo.png"
			return dotnet.GeneratePackage(tool, pkg, nil, nil)
		},
	},
	programs: map[string]func(*pcl.Program) (map[string][]byte, hcl.Diagnostics, error){
		"dotnet": dotnet.GenerateProgram,
		"yaml":   yamlgen.GenerateProgram,
	},
	bind: func(files []*syntax.File, loader schema.ReferenceLoader) (*pcl.Program, hcl.Diagnostics, error) {
		return pcl.BindProgram(files, pcl.Loader(loader))
	},
}

// logo answers the .NET generator's download of the package's logo with a 64x64 PNG in Postmark's yellow.
type logo struct{}

func (logo) RoundTrip(*http.Request) (*http.Response, error) {
	img := image.NewRGBA(image.Rect(0, 0, 64, 64))
	for x := 0; x < 64; x++ {
		for y := 0; y < 64; y++ {
			img.Set(x, y, color.RGBA{R: 0xff, G: 0xde, B: 0x00, A: 0xff})
		}
	}
	var encoded bytes.Buffer
	if err := png.Encode(&encoded, img); err != nil {
		return nil, err
	}
	return &http.Response{StatusCode: http.StatusOK, Header: http.Header{}, Body: io.NopCloser(&encoded)}, nil
}
