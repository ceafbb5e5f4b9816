// The generated Go client against the running mock (ZOMRO_MOCK_URL): `make regen-others`.
// Inputs and expected answers come from the fixtures file that clients/article_fixtures.py writes.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"zomrorescue"
)

type request struct {
	Func       string `json:"func"`
	Out        string `json:"out"`
	Auth       string `json:"auth"`
	Elid       int64  `json:"elid"`
	Sok        string `json:"sok"`
	SelectBoot string `json:"select_boot"`
	Zone       string `json:"zone"`
	Password   string `json:"password"`
}

type fixtures struct {
	Preview  struct{ Request request } `json:"preview"`
	Rescue   struct{ Request request } `json:"rescue"`
	Unrescue struct{ Request request } `json:"unrescue"`
	Images   []struct {
		UUID   string `json:"uuid"`
		OSName string `json:"os_name"`
		Zone   string `json:"zone"`
	} `json:"images"`
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "FAIL: "+format+"\n", args...)
	os.Exit(1)
}

func main() {
	raw, err := os.ReadFile(os.Args[1])
	if err != nil {
		fail("read fixtures: %v", err)
	}
	var f fixtures
	if err := json.Unmarshal(raw, &f); err != nil {
		fail("parse fixtures: %v", err)
	}
	cfg := zomrorescue.NewConfiguration()
	cfg.Servers = zomrorescue.ServerConfigurations{{URL: os.Getenv("ZOMRO_MOCK_URL")}}
	api := zomrorescue.NewAPIClient(cfg).RescueAPI
	ctx := context.Background()

	p := f.Preview.Request
	preview, _, err := api.PreviewRescueImages(ctx).Func_(p.Func).Out(p.Out).Elid(p.Elid).Auth(p.Auth).Execute()
	if err != nil || preview.Doc.RescuePreviewDoc == nil {
		fail("preview: %v %+v", err, preview)
	}
	for _, list := range preview.Doc.RescuePreviewDoc.Slist {
		if list.Name != "select_boot" {
			continue
		}
		if list.Val == nil || list.Val.ArrayOfSelectOption == nil || len(*list.Val.ArrayOfSelectOption) != len(f.Images) {
			fail("preview: want %d images, got %+v", len(f.Images), list.Val)
		}
		for i, option := range *list.Val.ArrayOfSelectOption {
			want := f.Images[i]
			if option.Key != want.UUID || option.Value != want.OSName || option.GetDepend() != want.Zone {
				fail("preview image %d: want %+v, got %+v", i, want, option)
			}
		}
	}
	fmt.Printf("ok: preview lists %d images\n", len(f.Images))

	r := f.Rescue.Request
	rescue, _, err := api.RescueInstance(ctx).Func_(r.Func).Out(r.Out).Sok(r.Sok).Elid(r.Elid).
		SelectBoot(r.SelectBoot).Zone(r.Zone).Password(r.Password).Auth(r.Auth).Execute()
	if err != nil || rescue.Doc.OkDoc == nil {
		fail("rescue: %v %+v", err, rescue)
	}
	fmt.Println("ok: rescue")

	u := f.Unrescue.Request
	unrescue, _, err := api.UnrescueInstance(ctx).Func_(u.Func).Out(u.Out).Elid(u.Elid).Auth(u.Auth).Execute()
	if err != nil || unrescue.Doc.OkDoc == nil {
		fail("unrescue: %v %+v", err, unrescue)
	}
	fmt.Println("ok: unrescue")

	// The Go client checks elid >= 1 itself, so the error comes from the mock on request.
	cfg.AddDefaultHeader("Prefer", "example=badElid")
	bad, _, err := zomrorescue.NewAPIClient(cfg).RescueAPI.UnrescueInstance(ctx).Func_(u.Func).Out(u.Out).Elid(u.Elid).Auth(u.Auth).Execute()
	if err != nil || bad.Doc.ErrorDoc == nil || bad.Doc.ErrorDoc.Error.GetObject() != "elid" {
		fail("bad elid: want the error document, got %v %+v", err, bad)
	}
	fmt.Println("ok: a bad elid (the badElid example) comes back as the error document")
}
