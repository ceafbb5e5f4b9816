//! OpenAPI Generator's Rust client (reqwest) against the mock: the matrix's four calls.
//! Inputs come from $FIXTURES (clients/article_fixtures.py); every answer is read through the
//! generated types: the oneOf inside each answer's `doc` by its variant, each image as SelectOption.

use serde_json::Value;
use std::process::exit;
use zomro_rescue::apis::configuration::Configuration;
use zomro_rescue::apis::rescue_api;
use zomro_rescue::models::{OkAnswer, OkDocOrError, RescuePreviewDocOrError, SelectList, SelectOption};

fn fail(message: String) -> ! {
    eprintln!("FAIL: {message}");
    exit(1)
}

/// The fixture's request, whose fields must be exactly those this program sends, so none is dropped silently.
fn request<'a>(fixtures: &'a Value, step: &str, sent: &[&str]) -> &'a serde_json::Map<String, Value> {
    let request = fixtures[step]["request"]
        .as_object()
        .unwrap_or_else(|| fail(format!("{step}: no request in the fixtures")));
    let mut have: Vec<&str> = request.keys().map(String::as_str).collect();
    let mut want = sent.to_vec();
    have.sort_unstable();
    want.sort_unstable();
    if have != want {
        fail(format!("{step}: the fixture's fields {have:?} are not the ones this program sends {want:?}"));
    }
    request
}

fn text<'a>(request: &'a serde_json::Map<String, Value>, field: &str) -> &'a str {
    request[field].as_str().unwrap_or_else(|| fail(format!("fixture field {field} is not a string")))
}

fn number(request: &serde_json::Map<String, Value>, field: &str) -> i64 {
    request[field].as_i64().unwrap_or_else(|| fail(format!("fixture field {field} is not an integer")))
}

/// A list's options as the generated SelectOption. `val` is one-or-many (`anyOf [SelectOption, array of
/// SelectOption]`): run.sh maps it to serde_json::Value, read here as one object or an array of them.
fn options(list: &SelectList) -> Vec<SelectOption> {
    let value: Value = match &list.val {
        Some(val) => (**val).clone(),
        None => return Vec::new(),
    };
    let parsed = if value.is_array() {
        serde_json::from_value::<Vec<SelectOption>>(value)
    } else {
        serde_json::from_value::<SelectOption>(value).map(|option| vec![option])
    };
    parsed.unwrap_or_else(|e| fail(format!("options of {}: {e}", list.dollar_name)))
}

fn ok(step: &str, answer: Result<OkAnswer, impl std::fmt::Debug>) {
    match answer {
        Ok(OkAnswer { doc }) => match *doc {
            OkDocOrError::OkDoc(_) => println!("ok: {step} (doc is an OkDoc)"),
            OkDocOrError::ErrorDoc(error) => fail(format!("{step}: want the ok document, got {error:?}")),
        },
        Err(e) => fail(format!("{step}: {e:?}")),
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let path = std::env::var("FIXTURES").unwrap_or_else(|_| fail("FIXTURES is not set".into()));
    let raw = std::fs::read_to_string(&path).unwrap_or_else(|e| fail(format!("read {path}: {e}")));
    let fixtures: Value = serde_json::from_str(&raw).unwrap_or_else(|e| fail(format!("parse {path}: {e}")));
    let config = Configuration {
        base_path: std::env::var("ZOMRO_MOCK_URL").unwrap_or_else(|_| fail("ZOMRO_MOCK_URL is not set".into())),
        ..Configuration::default()
    };
    let images = fixtures["images"].as_array().unwrap_or_else(|| fail("no images in the fixtures".into()));

    // 1. preview: the 15 images, in order, from the list named after the rescue field that takes an image's UUID.
    let p = request(&fixtures, "preview", &["func", "out", "elid", "auth"]);
    let r = request(&fixtures, "rescue", &["func", "out", "sok", "elid", "select_boot", "zone", "password", "auth"]);
    let image_field = r
        .iter()
        .find(|(_, value)| images.iter().any(|image| image["uuid"] == **value))
        .map(|(field, _)| field.as_str())
        .unwrap_or_else(|| fail("no rescue field holds an image's UUID".into()));
    let answer = rescue_api::preview_rescue_images(&config, text(p, "func"), text(p, "out"), number(p, "elid"), Some(text(p, "auth")), None, None)
        .await
        .unwrap_or_else(|e| fail(format!("preview: {e:?}")));
    let form = match *answer.doc {
        RescuePreviewDocOrError::RescuePreviewDoc(form) => form,
        other => fail(format!("preview: want the rescue form, got {other:?}")),
    };
    let listed: Vec<SelectOption> = form.slist.iter().filter(|list| list.dollar_name == image_field).flat_map(options).collect();
    if listed.len() != images.len() {
        fail(format!("preview: want {} images in the list {image_field}, got {listed:?}", images.len()));
    }
    for (i, (got, want)) in listed.iter().zip(images).enumerate() {
        if want["uuid"] != got.dollar_key.as_str() || want["os_name"] != got.dollar.as_str() || want["zone"] != got.dollar_depend.as_deref().unwrap_or("") {
            fail(format!("preview image {i}: want {want}, got {got:?}"));
        }
    }
    println!("ok: preview lists {} images (key, name, zone as in the fixtures)", listed.len());

    // 2. rescue.
    let rescue = rescue_api::rescue_instance(
        &config, text(r, "func"), text(r, "out"), text(r, "sok"), number(r, "elid"), text(r, "select_boot"), text(r, "zone"),
        Some(text(r, "password")), None, None, None, Some(text(r, "auth")), None, None,
    )
    .await;
    ok("rescue", rescue);

    // 3. unrescue.
    let u = request(&fixtures, "unrescue", &["func", "out", "elid", "auth"]);
    let unrescue = || rescue_api::unrescue_instance(&config, text(u, "func"), text(u, "out"), number(u, "elid"), None, Some(text(u, "auth")), None, None);
    ok("unrescue", unrescue().await);

    // 4. unrescue again: the error document, told apart by the variant of doc.
    match unrescue().await {
        Ok(OkAnswer { doc }) => match *doc {
            OkDocOrError::ErrorDoc(error) => {
                let detail = &error.error;
                let message = detail.msg.dollar.as_deref().unwrap_or("");
                println!("ok: unrescue again: doc is an ErrorDoc, $type {}, message {message:?}", detail.dollar_type);
            }
            OkDocOrError::OkDoc(doc) => fail(format!("unrescue again: want the error document (ErrorDoc), got {doc:?}")),
        },
        Err(e) => fail(format!("unrescue again: {e:?}")),
    }
}
