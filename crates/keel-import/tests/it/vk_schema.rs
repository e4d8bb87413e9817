//! The `vk-wall` sample and test answers are VK's own shapes: each answer is checked against
//! VK's published JSON schema (`shared/data/vk-api-schema`: `wall.get`'s and
//! `stats.getPostReach`'s responses) by the workspace's one schema check
//! (`keel_testkit::vk_schema`), and a wrong answer is caught by the same check.

use keel_import::Format;
use keel_testkit::vk_schema::VkSchema;
use serde_json::Value;

/// The method a `vk-wall` file's answer came from: a page of posts or their reach.
fn method_of(answer: &Value) -> &'static str {
    if answer.pointer("/response/items").is_some() {
        "wall.get"
    } else {
        "stats.getPostReach"
    }
}

#[test]
fn the_vk_wall_sample_fits_vks_schema_and_a_broken_answer_does_not() {
    let Some(mut schema) = VkSchema::load_or_skip("the_vk_wall_sample_fits_vks_schema_and_a_broken_answer_does_not")
    else {
        return;
    };
    let answers: Vec<Value> = serde_json::from_str(Format::VkWall.sample()).unwrap();
    assert_eq!(answers.len(), 2);
    for answer in &answers {
        assert_eq!(schema.check(method_of(answer), answer), Vec::<String>::new());
    }
    // The check can fail: a count as a string, a missing required field, a post id as a string.
    let mut broken = answers[0].clone();
    broken["response"]["items"][0]["likes"]["count"] = Value::from("312");
    broken["response"]["items"][1]["reposts"]
        .as_object_mut()
        .unwrap()
        .remove("count");
    let problems = schema.check("wall.get", &broken);
    assert!(
        problems
            .iter()
            .any(|e| e.starts_with("wall.get.response.items[0].likes.count")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|e| e == "wall.get.response.items[1].reposts.count: required but missing"),
        "{problems:?}"
    );
    let mut reach = answers[1].clone();
    reach["response"][0]["post_id"] = Value::from("x");
    let problems = schema.check("stats.getPostReach", &reach);
    assert!(
        problems
            .iter()
            .any(|e| e.starts_with("stats.getPostReach.response[0].post_id")),
        "{problems:?}"
    );
    // An error answer is checked against `base_error`: a code as a string does not fit.
    let error = serde_json::json!({"error": {"error_code": "6", "error_msg": "Too many requests per second"}});
    assert!(!schema.check("wall.get", &error).is_empty());
}

/// The answers the other tests feed the `vk-wall` importer fit VK's schema too.
#[test]
fn test_answers_fit_vks_schema() {
    let Some(mut schema) = VkSchema::load_or_skip("test_answers_fit_vks_schema") else {
        return;
    };
    for text in [crate::native::VK_STRAY_REACH] {
        for answer in serde_json::from_str::<Vec<Value>>(text).unwrap() {
            assert_eq!(
                schema.check(method_of(&answer), &answer),
                Vec::<String>::new(),
                "{answer}"
            );
        }
    }
}
