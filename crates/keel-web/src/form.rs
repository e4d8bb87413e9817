//! What the pages' forms share: a form with nothing but its CSRF token, and numbers as people
//! type them.

use serde::Deserialize;

/// A form with nothing but its CSRF token.
#[derive(Deserialize)]
pub struct Empty {}

/// A number typed into a form field: a comma or a point before the decimals, spaces between
/// the thousands; an empty field is `None`. The error names the field and what was typed.
pub fn number(field: &str, text: &str) -> Result<Option<f64>, String> {
    let t = text.trim().replace(',', ".").replace(' ', "");
    if t.is_empty() {
        return Ok(None);
    }
    t.parse()
        .map(Some)
        .map_err(|_| format!("field `{field}`: `{text}` is not a number"))
}

#[cfg(test)]
mod tests {
    use super::number;

    #[test]
    fn numbers_take_a_comma_and_spaces() {
        assert_eq!(number("x", " 1 234,5 "), Ok(Some(1234.5)));
        assert_eq!(number("x", ""), Ok(None));
        let bad = number("target", "ten").unwrap_err();
        assert!(bad.contains("`target`") && bad.contains("`ten`"), "{bad}");
    }
}
