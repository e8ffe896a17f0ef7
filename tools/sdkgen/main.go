// Command sdkgen writes the plugin's SDKs from its Pulumi package schema with Pulumi's own code
// generators (the codegen packages of github.com/pulumi/pulumi/pkg/v3), without the language
// plugins `pulumi package gen-sdk` needs. scripts/gen-sdks builds and runs it.
//
//	sdkgen -schema schema.json -out DIR -pulumi-version 3.274.1 [-language nodejs,go,python]
//
// It writes DIR/<language>/... and prints one line per language: `<language> <files> <seconds>`.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/blang/semver"

	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

const tool = "connect-contact sdkgen"

// noReferences is the loader for a schema that references no other package: binding and the
// generators need one, and any load it is asked for is an error in the schema.
type noReferences struct{}

func refused(name string) error {
	return fmt.Errorf("the schema references package %q; it must reference no other package", name)
}

func (noReferences) LoadPackage(name string, _ *semver.Version) (*schema.Package, error) {
	return nil, refused(name)
}

func (noReferences) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return nil, refused(d.Name)
}

func (noReferences) LoadPackageReference(name string, _ *semver.Version) (schema.PackageReference, error) {
	return nil, refused(name)
}

func (noReferences) LoadPackageReferenceV2(
	_ context.Context, d *schema.PackageDescriptor,
) (schema.PackageReference, error) {
	return nil, refused(d.Name)
}

// bind validates the schema against Pulumi's metaschema and binds it; each generator gets a fresh
// package because generators record their language's settings on it.
func bind(spec schema.PackageSpec) (*schema.Package, error) {
	pkg, diags, err := schema.BindSpec(spec, noReferences{}, schema.ValidationOptions{})
	if err != nil {
		return nil, err
	}
	if diags.HasErrors() {
		return nil, fmt.Errorf("the schema does not bind: %s", diags.Error())
	}
	return pkg, nil
}

// goModule is the go.mod of the Go SDK, which the Go generator writes only for packages that
// support packing: the module is the import base path's parent folder.
func goModule(spec schema.PackageSpec, pulumiVersion string) ([]byte, error) {
	var info struct {
		ImportBasePath string `json:"importBasePath"`
	}
	if raw, ok := spec.Language["go"]; ok {
		if err := json.Unmarshal(raw, &info); err != nil {
			return nil, fmt.Errorf("language.go: %w", err)
		}
	}
	if info.ImportBasePath == "" {
		return nil, errors.New("the schema names no language.go.importBasePath, so the Go SDK has no module path")
	}
	return []byte(fmt.Sprintf("module %s\n\ngo 1.22\n\nrequire github.com/pulumi/pulumi/sdk/v3 v%s\n",
		path.Dir(info.ImportBasePath), pulumiVersion)), nil
}

func generate(language string, spec schema.PackageSpec, pulumiVersion string) (map[string][]byte, error) {
	pkg, err := bind(spec)
	if err != nil {
		return nil, err
	}
	switch language {
	case "nodejs":
		return nodejs.GeneratePackage(tool, pkg, nil, nil, false, noReferences{})
	case "python":
		return python.GeneratePackage(tool, pkg, nil, noReferences{})
	case "go":
		mod, err := goModule(spec, pulumiVersion)
		if err != nil {
			return nil, err
		}
		files, err := gogen.GeneratePackage(tool, pkg, nil)
		if err != nil {
			return nil, err
		}
		if _, ok := files["go.mod"]; !ok {
			files["go.mod"] = mod
		}
		return files, nil
	}
	return nil, fmt.Errorf("no generator for language %q (nodejs, go, python)", language)
}

func write(dir string, files map[string][]byte) error {
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		target := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(target, files[name], 0o644); err != nil {
			return err
		}
	}
	return nil
}

func run() error {
	schemaPath := flag.String("schema", "", "the package schema (JSON)")
	out := flag.String("out", "", "the folder to write <language>/ SDKs into")
	languages := flag.String("language", "nodejs,go,python", "comma-separated languages")
	pulumiVersion := flag.String("pulumi-version", "", "the Pulumi SDK version the Go SDK requires")
	flag.Parse()
	if *schemaPath == "" || *out == "" || *pulumiVersion == "" {
		return errors.New("-schema, -out and -pulumi-version are required")
	}
	data, err := os.ReadFile(*schemaPath)
	if err != nil {
		return err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(data, &spec); err != nil {
		return fmt.Errorf("%s is not a package schema: %w", *schemaPath, err)
	}
	for _, language := range strings.Split(*languages, ",") {
		start := time.Now()
		files, err := generate(language, spec, *pulumiVersion)
		if err != nil {
			return fmt.Errorf("%s: %w", language, err)
		}
		dir := filepath.Join(*out, language)
		if err := os.RemoveAll(dir); err != nil {
			return err
		}
		if err := write(dir, files); err != nil {
			return err
		}
		fmt.Printf("%s %d %.2f\n", language, len(files), time.Since(start).Seconds())
	}
	return nil
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintf(os.Stderr, "sdkgen: %v\n", err)
		os.Exit(1)
	}
}
