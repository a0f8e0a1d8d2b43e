//! Cursors for paged lists: the sort key of the last entry a page showed, written so that a
//! client treats it as an opaque token (and cannot mistake it for an id it may edit).

/// The key `parts` as a cursor.
pub fn encode(parts: &[&str]) -> String {
    let joined = parts.join("\u{1f}");
    joined.bytes().map(|b| format!("{b:02x}")).collect()
}

/// The parts of a cursor made by `encode`, or `None` for anything else.
pub fn decode(cursor: &str) -> Option<Vec<String>> {
    let cursor = cursor.trim();
    if cursor.is_empty() || !cursor.len().is_multiple_of(2) || cursor.len() > 512 {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..cursor.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(cursor.get(i..i + 2)?, 16).ok())
        .collect();
    let text = String::from_utf8(bytes?).ok()?;
    Some(text.split('\u{1f}').map(str::to_string).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_gives_back_its_parts() {
        let cursor = encode(&["2026-05-01", "42"]);
        assert_eq!(
            decode(&cursor),
            Some(vec!["2026-05-01".to_string(), "42".to_string()])
        );
    }

    #[test]
    fn anything_else_is_not_a_cursor() {
        assert_eq!(decode(""), None);
        assert_eq!(decode("abc"), None);
        assert_eq!(decode("zz"), None);
        assert_eq!(decode("ff"), None);
    }
}
