//! Checks a VK API answer against the published API schema (`shared/data/vk-api-schema`, the
//! JSON-Schema files of <https://github.com/VKCOM/vk-api-schema>): the method's `responses`
//! definition, following `$ref`s across the schema's files, checking types, `required`
//! properties (VK marks them with `"required": true` on the property, or a `required` list),
//! `enum`s, `minimum`s, array items and `allOf`/`oneOf`/`anyOf`. An error answer
//! (`{"error": …}`) is checked against the schema's `base_error`. Enough to catch a fixture that
//! answers a shape VK never gives; not a full JSON-Schema implementation. This is the one VK
//! schema check of the workspace: the fixtures of publishing, pulls and the `vk-wall` importer
//! all go through it.

use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The schema folder: `KEEL_SHARED_DATA/vk-api-schema`, else `shared/data/vk-api-schema`
/// beside the checkout.
pub fn schema_dir() -> PathBuf {
    std::env::var_os("KEEL_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"))
        .join("vk-api-schema")
}

pub struct VkSchema {
    dir: PathBuf,
    files: HashMap<String, Value>,
}

impl VkSchema {
    /// `None` when the schema is not on this machine.
    pub fn load() -> Option<VkSchema> {
        let dir = schema_dir();
        dir.join("wall/methods.json").exists().then(|| VkSchema {
            dir,
            files: HashMap::new(),
        })
    }

    fn file(&mut self, rel: &str) -> Value {
        if let Some(v) = self.files.get(rel) {
            return v.clone();
        }
        let text = std::fs::read_to_string(self.dir.join(rel)).unwrap_or_else(|e| panic!("schema file {rel}: {e}"));
        let value: Value = serde_json::from_str(&text).unwrap();
        self.files.insert(rel.to_owned(), value.clone());
        value
    }

    /// The schema, or `None` after reporting the test as skipped (which fails the test when
    /// `KEEL_TEST_REQUIRE` names `vk-api-schema` or `all`).
    pub fn load_or_skip(test: &str) -> Option<VkSchema> {
        let schema = VkSchema::load();
        if schema.is_none() {
            crate::skip(
                test,
                "vk-api-schema",
                &format!("no VK API schema at {} (set KEEL_SHARED_DATA)", schema_dir().display()),
            );
        }
        schema
    }

    /// Checks `answer` (the whole `{"response": …}` or `{"error": …}`) of `method` (`wall.get`);
    /// the problems, if any, each starting with the method and the path in the answer.
    pub fn check(&mut self, method: &str, answer: &Value) -> Vec<String> {
        if let Some(error) = answer.get("error") {
            let mut error = error.clone();
            // `inner_type` is the schema's own discriminator of error kinds, not a field VK sends.
            if let Some(object) = error.as_object_mut() {
                object.entry("inner_type").or_insert_with(|| Value::from("base_error"));
            }
            let (schema, base) = self.resolve("#/definitions/base_error", "base/objects.json");
            let mut problems = vec![];
            self.walk(&schema, &base, &error, &format!("{method}.error"), &mut problems);
            return problems;
        }
        let section = method.split('.').next().unwrap_or_default();
        let methods = self.file(&format!("{section}/methods.json"));
        let Some(spec) = methods["methods"]
            .as_array()
            .and_then(|m| m.iter().find(|m| m["name"] == method))
        else {
            return vec![format!("{method}: not in the schema")];
        };
        let reference = spec["responses"]["response"]["$ref"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let (schema, base) = self.resolve(&reference, &format!("{section}/methods.json"));
        let mut problems = vec![];
        self.walk(&schema, &base, answer, method, &mut problems);
        problems
    }

    /// A `$ref` (`../wall/objects.json#/definitions/x` or `#/definitions/x`) seen from `from`.
    fn resolve(&mut self, reference: &str, from: &str) -> (Value, String) {
        let (file, pointer) = reference.split_once('#').unwrap_or((reference, ""));
        let rel = if file.is_empty() {
            from.to_owned()
        } else {
            let joined = Path::new(from).parent().unwrap_or(Path::new("")).join(file);
            normalize(&joined)
        };
        let doc = self.file(&rel);
        (doc.pointer(pointer).cloned().unwrap_or(Value::Null), rel)
    }

    fn walk(&mut self, schema: &Value, base: &str, value: &Value, at: &str, problems: &mut Vec<String>) {
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            let (target, rel) = self.resolve(reference, base);
            self.walk(&target, &rel, value, at, problems);
        }
        if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
            for s in all.clone() {
                self.walk(&s, base, value, at, problems);
            }
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(any) = schema.get(key).and_then(Value::as_array) {
                let fits = any.clone().iter().any(|s| {
                    let mut p = vec![];
                    self.walk(s, base, value, at, &mut p);
                    p.is_empty()
                });
                if !fits {
                    problems.push(format!("{at}: fits none of {key}"));
                }
            }
        }
        if let Some(kind) = schema.get("type") {
            let kinds: Vec<&str> = match kind {
                Value::String(k) => vec![k.as_str()],
                Value::Array(ks) => ks.iter().filter_map(Value::as_str).collect(),
                _ => vec![],
            };
            if !kinds.iter().any(|k| type_fits(k, value)) {
                problems.push(format!("{at}: {value} is not {kinds:?}"));
                return;
            }
        }
        if let Some(options) = schema.get("enum").and_then(Value::as_array)
            && !options.contains(value)
        {
            problems.push(format!("{at}: {value} is not one of {options:?}"));
        }
        if let (Some(min), Some(n)) = (schema.get("minimum").and_then(Value::as_f64), value.as_f64())
            && n < min
        {
            problems.push(format!("{at}: {n} is below {min}"));
        }
        if let (Some(props), Some(object)) = (schema.get("properties").and_then(Value::as_object), value.as_object()) {
            let listed: Vec<String> = schema
                .get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(|s| s.as_str().map(str::to_owned)).collect())
                .unwrap_or_default();
            for (name, prop) in props.clone() {
                match object.get(&name) {
                    Some(v) => self.walk(&prop, base, v, &format!("{at}.{name}"), problems),
                    None if prop.get("required") == Some(&Value::Bool(true)) || listed.contains(&name) => {
                        problems.push(format!("{at}.{name}: required but missing"));
                    }
                    None => {}
                }
            }
        }
        if let (Some(items), Some(array)) = (schema.get("items"), value.as_array()) {
            for (i, v) in array.iter().enumerate() {
                self.walk(items, base, v, &format!("{at}[{i}]"), problems);
            }
        }
    }
}

fn type_fits(kind: &str, value: &Value) -> bool {
    match kind {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "null" => value.is_null(),
        _ => true,
    }
}

/// `wall/../stats/objects.json` → `stats/objects.json`.
fn normalize(path: &Path) -> String {
    let mut parts: Vec<String> = vec![];
    for c in path.components() {
        match c {
            std::path::Component::ParentDir => {
                parts.pop();
            }
            std::path::Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    parts.join("/")
}
