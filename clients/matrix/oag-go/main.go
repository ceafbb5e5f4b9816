// OpenAPI Generator's Go client against the mock (ZOMRO_MOCK_URL): the matrix's four calls.
// Inputs come from $FIXTURES (clients/article_fixtures.py); every answer is read through the generated
// types: the oneOf inside each answer's doc by which of its branch pointers is set, the images as SelectOption.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"

	"zomrorescue"
)

// request is one of the article's requests, field by field as the fixtures hold it.
type request map[string]any

func (r request) text(field string) string {
	value, ok := r[field].(string)
	if !ok {
		fail("fixture field %q is not a string", field)
	}
	return value
}

func (r request) number(field string) int64 {
	value, ok := r[field].(float64)
	if !ok {
		fail("fixture field %q is not a number", field)
	}
	return int64(value)
}

// expect fails unless the request's fields are exactly those the program sends, so none is dropped silently.
func (r request) expect(step string, sent ...string) request {
	have := make([]string, 0, len(r))
	for field := range r {
		have = append(have, field)
	}
	sort.Strings(have)
	sort.Strings(sent)
	if strings.Join(have, ",") != strings.Join(sent, ",") {
		fail("%s: the fixture's fields %v are not the ones this program sends %v", step, have, sent)
	}
	return r
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
	raw, err := os.ReadFile(os.Getenv("FIXTURES"))
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

	// 1. preview: the 15 images, in order, from the list named after the rescue field that takes an image's UUID.
	p := f.Preview.Request.expect("preview", "func", "out", "elid", "auth")
	r := f.Rescue.Request.expect("rescue", "func", "out", "sok", "elid", "select_boot", "zone", "password", "auth")
	imageField := ""
	for field, value := range r {
		for _, image := range f.Images {
			if value == image.UUID {
				imageField = field
			}
		}
	}
	preview, _, err := api.PreviewRescueImages(ctx).Func_(p.text("func")).Out(p.text("out")).Elid(p.number("elid")).Auth(p.text("auth")).Execute()
	if err != nil || preview.Doc.RescuePreviewDoc == nil {
		fail("preview: want the rescue form, got %v %+v", err, preview)
	}
	var listed []zomrorescue.SelectOption
	for _, list := range preview.Doc.RescuePreviewDoc.Slist {
		if list.Name != imageField || list.Val == nil {
			continue
		}
		if list.Val.ArrayOfSelectOption != nil {
			listed = *list.Val.ArrayOfSelectOption
		} else if list.Val.SelectOption != nil {
			listed = []zomrorescue.SelectOption{*list.Val.SelectOption}
		}
	}
	if len(listed) != len(f.Images) {
		fail("preview: want %d images in the list %q, got %+v", len(f.Images), imageField, listed)
	}
	for i, option := range listed {
		want := f.Images[i]
		if option.Key != want.UUID || option.Value != want.OSName || option.GetDepend() != want.Zone {
			fail("preview image %d: want %+v, got %+v", i, want, option)
		}
	}
	fmt.Printf("ok: preview lists %d images (key, name, zone as in the fixtures)\n", len(listed))

	// 2. rescue.
	rescue, _, err := api.RescueInstance(ctx).Func_(r.text("func")).Out(r.text("out")).Sok(r.text("sok")).Elid(r.number("elid")).
		SelectBoot(r.text("select_boot")).Zone(r.text("zone")).Password(r.text("password")).Auth(r.text("auth")).Execute()
	if err != nil || rescue.Doc.OkDoc == nil {
		fail("rescue: want the ok document, got %v %+v", err, rescue)
	}
	fmt.Println("ok: rescue (doc is an OkDoc)")

	// 3. unrescue.
	u := f.Unrescue.Request.expect("unrescue", "func", "out", "elid", "auth")
	unrescue := func() (*zomrorescue.OkAnswer, error) {
		answer, _, err := api.UnrescueInstance(ctx).Func_(u.text("func")).Out(u.text("out")).Elid(u.number("elid")).Auth(u.text("auth")).Execute()
		return answer, err
	}
	answer, err := unrescue()
	if err != nil || answer.Doc.OkDoc == nil {
		fail("unrescue: want the ok document, got %v %+v", err, answer)
	}
	fmt.Println("ok: unrescue (doc is an OkDoc)")

	// 4. unrescue again: the error document, told apart by the branch the answer holds.
	answer, err = unrescue()
	if err != nil || answer.Doc.ErrorDoc == nil || answer.Doc.OkDoc != nil {
		fail("unrescue again: want the error document (doc is an ErrorDoc), got %v %+v", err, answer)
	}
	detail := answer.Doc.ErrorDoc.Error
	fmt.Printf("ok: unrescue again: doc is an ErrorDoc, $type %s, message %q\n", detail.Type, detail.Msg.GetValue())
}
