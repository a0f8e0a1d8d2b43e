//! The closed lists in `hotel_shared::codes` hold what the server really says: the OpenAPI
//! document lists every error code, and every code and audit action on the lists is one the
//! server's code can produce (a word nobody sends, like a stale translation key, fails here).
//! That each has words in both languages and a sentence on the desk is tested beside those
//! words (`frontend/src/i18n.rs`, `frontend/src/desk/audit_words.rs`).

use std::path::Path;

use hotel_shared::{AuditAction, ErrorCode, paths};

use crate::helpers::spawn_app;

#[tokio::test]
async fn the_openapi_document_lists_every_error_code() {
    let app = spawn_app().await;
    let doc = app.get(paths::OPENAPI).await.body;
    let schemas = &doc["components"]["schemas"];
    let code = &schemas["ErrorBody"]["properties"]["code"];
    assert_eq!(code["$ref"], "#/components/schemas/ErrorCode", "{code}");
    let listed: Vec<&str> = schemas["ErrorCode"]["enum"]
        .as_array()
        .unwrap_or_else(|| panic!("ErrorCode lists no codes: {}", schemas["ErrorCode"]))
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    let all: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(listed, all);
}

/// Every `.rs` file under the server's `src/`, as one text.
fn server_source() -> String {
    fn walk(dir: &Path, text: &mut String) {
        for entry in std::fs::read_dir(dir).expect("source folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, text);
            } else if path.extension().is_some_and(|e| e == "rs") {
                text.push_str(&std::fs::read_to_string(&path).expect("source file"));
            }
        }
    }
    let mut text = String::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut text,
    );
    text
}

#[test]
fn every_error_code_on_the_list_is_one_the_server_sends() {
    let source = server_source();
    let unused: Vec<String> = ErrorCode::ALL
        .iter()
        .map(|c| format!("ErrorCode::{c:?}"))
        .filter(|name| !source.contains(name.as_str()))
        .collect();
    assert!(unused.is_empty(), "listed but never sent: {unused:?}");
}

#[test]
fn every_audit_action_on_the_list_is_one_the_server_writes() {
    let source = server_source();
    let unused: Vec<String> = AuditAction::ALL
        .iter()
        .map(|a| format!("AuditAction::{a:?}"))
        .filter(|name| !source.contains(name.as_str()))
        .collect();
    assert!(unused.is_empty(), "listed but never written: {unused:?}");
}
