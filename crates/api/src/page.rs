//! List envelopes (spec §2).

use crate::presence::nullable;
use serde::{Deserialize, Serialize};

/// `{"data": [...], "next_page": cursor|null}`; sessions add `prev_page`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    /// This page's items (a missing `data` reads as empty, as the SDKs do).
    #[serde(default = "Vec::new")]
    pub data: Vec<T>,
    /// Cursor of the next page; `None` at the end.
    #[serde(default)]
    pub next_page: Option<String>,
    /// Cursor of the previous page (sessions list only).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    pub prev_page: Option<Option<String>>,
}

impl<T> Page<T> {
    /// The cursor to request next, or `None` when this is the last page.
    pub fn next_cursor(&self) -> Option<&str> {
        self.next_page
            .as_deref()
            .filter(|cursor| !cursor.is_empty())
    }
}

/// `{"id","type":"..._deleted"}`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Deleted {
    /// The deleted object's id.
    pub id: String,
    /// e.g. `session_deleted`.
    #[serde(rename = "type")]
    pub kind: String,
}
