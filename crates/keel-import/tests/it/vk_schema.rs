//! The `vk-wall` sample and test answers are VK's own shapes: each answer is checked against
//! VK's published JSON schema (`shared/data/vk-api-schema`: `wall.get`'s and
//! `stats.getPostReach`'s responses), and a wrong answer is caught by the same check.
//!
//! The check covers what the schema uses for these answers: `$ref` across its files,
//! `allOf`/`oneOf`/`anyOf`, `type`, `properties` with `"required": true` (and `required`
//! lists), `items`, `enum` and `minimum`.

use keel_import::Format;
use serde_json::Value;
use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;

fn schema_dir() -> Option<PathBuf> {
    let base = std::env::var_os("KEEL_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"));
    let dir = base.join("vk-api-schema");
    dir.join("wall/responses.json").is_file().then_some(dir)
}

struct Schemas {
    dir: PathBuf,
    files: HashMap<String, Value>,
}

impl Schemas {
    fn file(&mut self, name: &str) -> &Value {
        let dir = self.dir.clone();
        self.files.entry(name.to_owned()).or_insert_with(|| {
            let text = std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
            serde_json::from_str(&text).unwrap()
        })
    }

    /// The schema a `$ref` names, and the file it is in (for the refs inside it).
    fn resolve(&mut self, reference: &str, from: &str) -> (Value, String) {
        let (file, pointer) = reference.split_once('#').unwrap_or((reference, ""));
        let file = if file.is_empty() {
            from.to_owned()
        } else {
            file.trim_start_matches("../").to_owned()
        };
        let node = self
            .file(&file)
            .pointer(pointer)
            .unwrap_or_else(|| panic!("{reference} not found"))
            .clone();
        (node, file)
    }

    /// Every way `value` breaks `schema`, each with its JSON path.
    fn check(&mut self, value: &Value, schema: &Value, file: &str, path: &str, errors: &mut Vec<String>) {
        if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
            let (target, target_file) = self.resolve(r, file);
            self.check(value, &target, &target_file, path, errors);
        }
        if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
            for s in all {
                self.check(value, s, file, path, errors);
            }
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(any) = schema.get(key).and_then(Value::as_array) {
                let fits = any.iter().any(|s| {
                    let mut e = Vec::new();
                    self.check(value, s, file, path, &mut e);
                    e.is_empty()
                });
                if !fits {
                    errors.push(format!("{path}: fits none of {key}"));
                }
            }
        }
        if let Some(t) = schema.get("type") {
            let types: Vec<&str> = match t {
                Value::String(s) => vec![s.as_str()],
                Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
                _ => vec![],
            };
            let fits = |t: &str| match t {
                "object" => value.is_object(),
                "array" => value.is_array(),
                "string" => value.is_string(),
                "integer" => value.is_i64() || value.is_u64(),
                "number" => value.is_number(),
                "boolean" => value.is_boolean(),
                "null" => value.is_null(),
                _ => true,
            };
            if !types.is_empty() && !types.iter().any(|t| fits(t)) {
                errors.push(format!("{path}: {value} is not {types:?}"));
                return;
            }
        }
        if let Some(options) = schema.get("enum").and_then(Value::as_array)
            && !options.contains(value)
        {
            errors.push(format!("{path}: {value} is not one of {options:?}"));
        }
        if let (Some(min), Some(n)) = (schema.get("minimum").and_then(Value::as_f64), value.as_f64())
            && n < min
        {
            errors.push(format!("{path}: {n} is below {min}"));
        }
        if let (Some(props), Some(obj)) = (schema.get("properties").and_then(Value::as_object), value.as_object()) {
            let listed: Vec<&str> = schema
                .get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            for (name, prop) in props {
                match obj.get(name) {
                    Some(v) => self.check(v, prop, file, &format!("{path}.{name}"), errors),
                    None if prop.get("required") == Some(&Value::Bool(true)) || listed.contains(&name.as_str()) => {
                        errors.push(format!("{path}.{name}: required but missing"));
                    }
                    None => {}
                }
            }
        }
        if let (Some(items), Some(arr)) = (schema.get("items"), value.as_array()) {
            for (i, v) in arr.iter().enumerate() {
                self.check(v, items, file, &format!("{path}[{i}]"), errors);
            }
        }
    }

    /// Problems of a VK answer: a `wall.get` or a `stats.getPostReach` response.
    fn answer(&mut self, answer: &Value) -> Vec<String> {
        let (def, file) = if answer.pointer("/response/items").is_some() {
            ("wall_get_response", "wall/responses.json")
        } else {
            ("stats_getPostReach_response", "stats/responses.json")
        };
        let (schema, file) = self.resolve(&format!("#/definitions/{def}"), file);
        let mut errors = Vec::new();
        self.check(answer, &schema, &file, "", &mut errors);
        errors
    }
}

#[test]
fn the_vk_wall_sample_fits_vks_schema_and_a_broken_answer_does_not() {
    let Some(dir) = schema_dir() else {
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED: vk-api-schema not found (set KEEL_SHARED_DATA)"
        );
        return;
    };
    let mut schemas = Schemas {
        dir,
        files: HashMap::new(),
    };
    let answers: Vec<Value> = serde_json::from_str(Format::VkWall.sample()).unwrap();
    assert_eq!(answers.len(), 2);
    for answer in &answers {
        assert_eq!(schemas.answer(answer), Vec::<String>::new());
    }
    // The check can fail: a count as a string, a missing required field, a post id as a string.
    let mut broken = answers[0].clone();
    broken["response"]["items"][0]["likes"]["count"] = Value::from("312");
    broken["response"]["items"][1]["reposts"]
        .as_object_mut()
        .unwrap()
        .remove("count");
    let errors = schemas.answer(&broken);
    assert!(
        errors.iter().any(|e| e.starts_with(".response.items[0].likes.count")),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e == ".response.items[1].reposts.count: required but missing"),
        "{errors:?}"
    );
    let mut reach = answers[1].clone();
    reach["response"][0]["reach_total"] = Value::from(-5);
    reach["response"][1]["post_id"] = Value::from("x");
    assert_eq!(schemas.answer(&reach).len(), 1, "{:?}", schemas.answer(&reach));
}

/// The answers the other tests feed the `vk-wall` importer fit VK's schema too.
#[test]
fn test_answers_fit_vks_schema() {
    let Some(dir) = schema_dir() else { return };
    let mut schemas = Schemas {
        dir,
        files: HashMap::new(),
    };
    for text in [crate::native::VK_STRAY_REACH] {
        for answer in serde_json::from_str::<Vec<Value>>(text).unwrap() {
            assert_eq!(schemas.answer(&answer), Vec::<String>::new(), "{answer}");
        }
    }
}
