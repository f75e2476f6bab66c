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

/// A page of an organization list: `{data, has_more, first_id, last_id}`; the next page
/// is asked for with `after_id=last_id`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdPage<T> {
    /// This page's items.
    #[serde(default = "Vec::new")]
    pub data: Vec<T>,
    /// Whether more items follow.
    #[serde(default)]
    pub has_more: bool,
    /// The first item's id.
    #[serde(default)]
    pub first_id: Option<String>,
    /// The last item's id: the `after_id` of the next page.
    #[serde(default)]
    pub last_id: Option<String>,
}
