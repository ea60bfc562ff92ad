//! Reading casework JSON from a script (`contacts add --json`, `followups complete
//! --json`): bounded in size, a UTF-8 byte-order mark accepted, and every type error named
//! by its field path (`needs[2].met: expected true or false`) without repeating the value,
//! which may be a caller's details.

use std::io::Read;

use serde::de::DeserializeOwned;

use super::FieldError;

/// Most bytes one JSON input may have: a contact is a few KB at its largest.
pub const MAX_INPUT_BYTES: usize = 256 * 1024;

/// Reads at most [`MAX_INPUT_BYTES`] from `input`; more is a field error on the input.
pub fn read_bounded(mut input: impl Read) -> std::io::Result<Result<String, FieldError>> {
    let mut bytes = Vec::new();
    input
        .by_ref()
        .take(MAX_INPUT_BYTES as u64 + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() > MAX_INPUT_BYTES {
        // Say how much there was without keeping it.
        let rest = std::io::copy(&mut input, &mut std::io::sink())?;
        let total = bytes.len() as u64 + rest;
        return Ok(Err(FieldError::new(
            "stdin",
            format!("too long ({total} bytes, limit {MAX_INPUT_BYTES})"),
        )));
    }
    Ok(String::from_utf8(bytes).map_err(|e| {
        FieldError::new(
            "stdin",
            format!("not UTF-8 text (at byte {})", e.utf8_error().valid_up_to()),
        )
    }))
}

/// Parses `text` as `T`. Errors name the field (`needs[2].met`), or the line and column
/// of a syntax error, and say what was expected.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, FieldError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut de = serde_json::Deserializer::from_str(text);
    let value: T =
        serde_path_to_error::deserialize(&mut de).map_err(|e| field_error(&e.path().to_string(), e.inner()))?;
    // Nothing but white space may follow the object.
    de.end().map_err(|e| field_error("", &e))?;
    Ok(value)
}

fn field_error(path: &str, e: &serde_json::Error) -> FieldError {
    use serde_json::error::Category;
    let at = |field: &str| {
        if path.is_empty() || path == "." {
            field.to_string()
        } else {
            format!("{path}.{field}")
        }
    };
    let text = e.to_string();
    let message = text.split(" at line ").next().unwrap_or(&text);
    match e.classify() {
        Category::Syntax | Category::Eof => FieldError::new(
            "stdin",
            format!(
                "not valid JSON: line {} column {}: {}",
                e.line(),
                e.column(),
                syntax(message)
            ),
        ),
        Category::Io => FieldError::new("stdin", message.to_string()),
        Category::Data => {
            if let Some(rest) = message.strip_prefix("unknown field `") {
                let (name, expected) = rest.split_once('`').unwrap_or((rest, ""));
                let expected = expected.trim_start_matches(", ");
                let expected = expected.replace('`', "");
                // The path already ends at the unknown field.
                let field = if path.is_empty() || path == "." {
                    name.to_string()
                } else {
                    path.to_string()
                };
                return FieldError::new(field, format!("unknown field `{name}`, {expected}"));
            }
            if let Some(rest) = message.strip_prefix("missing field `") {
                let name = rest.split('`').next().unwrap_or(rest);
                return FieldError::new(at(name), "required".to_string());
            }
            let field = if path.is_empty() || path == "." {
                "stdin".to_string()
            } else {
                path.to_string()
            };
            FieldError::new(field, expected(message))
        }
    }
}

/// serde's "invalid type: string \"Ana\", expected a boolean" as "expected true or false",
/// without the value.
fn expected(message: &str) -> String {
    let Some((_, wanted)) = message.split_once("expected ") else {
        return "not the expected type".into();
    };
    let wanted = match wanted.trim() {
        "a boolean" => "true or false",
        "a string" => "a string",
        "a sequence" => "a list",
        w if w.starts_with("struct ") || w == "a map" => "an object",
        w if w.starts_with("u8") || w.starts_with("u32") || w.starts_with("i64") || w.contains("integer") => {
            "a whole number"
        }
        w => return format!("expected {w}"),
    };
    format!("expected {wanted}")
}

/// A syntax error's message without any quoted input.
fn syntax(message: &str) -> &str {
    message.split(" `").next().unwrap_or(message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::casework::ContactInput;

    fn error(json: &str) -> String {
        parse::<ContactInput>(json).unwrap_err().to_string()
    }

    #[test]
    fn type_errors_name_the_field_path_and_never_the_value() {
        let needs = r#"{"channel":"phone","needs":[{"category":"food","met":true},
            {"category":"food","met":true},{"category":"food","met":"Zelda"}]}"#;
        assert_eq!(error(needs), "needs[2].met: expected true or false");
        let e = error(r#"{"channel":"phone","needs":[],"follow_up":{"consent":true,"first_name":705}}"#);
        assert_eq!(e, "follow_up.first_name: expected a string");
        assert_eq!(error(r#"{"channel":"phone","needs":"food"}"#), "needs: expected a list");
        assert_eq!(
            error(r#"{"channel":"phone","needs":[{"category":"food"}]}"#),
            "needs[0].met: required"
        );
        let e = error(r#"{"channel":"phone","needz":[]}"#);
        assert!(e.starts_with("needz: unknown field `needz`, expected one of"), "{e}");
        assert_eq!(error("5"), "stdin: expected an object");
        let e = error("{\"channel\": \"phone\",\n \"needs\": [}");
        assert!(e.starts_with("stdin: not valid JSON: line 2 column"), "{e}");
        assert!(error(r#"{"channel":"phone"} trailing"#).starts_with("stdin: not valid JSON"));
    }

    #[test]
    fn a_byte_order_mark_is_accepted() {
        let input: ContactInput = parse("\u{feff}{\"channel\":\"phone\"}").unwrap();
        assert_eq!(input.channel, "phone");
    }

    #[test]
    fn input_is_bounded() {
        let small = read_bounded("{}".as_bytes()).unwrap();
        assert_eq!(small.unwrap(), "{}");
        let big = vec![b' '; MAX_INPUT_BYTES + 10];
        let e = read_bounded(big.as_slice()).unwrap().unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "stdin: too long ({} bytes, limit {MAX_INPUT_BYTES})",
                MAX_INPUT_BYTES + 10
            )
        );
    }
}
