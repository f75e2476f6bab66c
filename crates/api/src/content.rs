//! Content blocks carried by messages and tool results (spec §10.8).

use crate::presence::{nullable, Extra};
use crate::union::open_union;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

open_union! {
    #[typescript("ContentBlock", "Block")]
    /// One block of content. There are no tool_use/thinking blocks here: those are events.
    pub enum ContentBlock {
        /// Plain text.
        Text(TextBlock) = "text",
        /// An image.
        Image(ImageBlock) = "image",
        /// A document (PDF, plain text, …).
        Document(DocumentBlock) = "document",
        /// A search result (tool results only).
        SearchResult(SearchResultBlock) = "search_result",
        /// Placeholder for content withheld by policy.
        Redacted(RedactedBlock) = "redacted",
    }
}

impl ContentBlock {
    /// A text block.
    pub fn text(text: impl Into<String>) -> Self {
        ContentBlock::Text(TextBlock {
            text: text.into(),
            extra: Extra::new(),
        })
    }

    /// The text of a text block.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            ContentBlock::Text(block) => Some(&block.text),
            _ => None,
        }
    }
}

/// Concatenates the text blocks of `content`, one per line.
pub fn joined_text(content: &[ContentBlock]) -> String {
    content
        .iter()
        .filter_map(ContentBlock::as_text)
        .collect::<Vec<_>>()
        .join("\n")
}

/// `{"type":"text","text"}`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct TextBlock {
    /// The text.
    pub text: String,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// `{"type":"image","source"}`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ImageBlock {
    /// Where the image bytes are.
    pub source: MediaSource,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// `{"type":"document","source","title"?,"context"?}`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct DocumentBlock {
    /// Where the document is.
    pub source: MediaSource,
    /// Optional title (O,N).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(optional, as = "_")]
    pub title: Option<Option<String>>,
    /// Optional context (O,N).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(optional, as = "_")]
    pub context: Option<Option<String>>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// `{"type":"search_result","source","title","content","citations"}`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SearchResultBlock {
    /// The result's URL.
    pub source: String,
    /// The result's title.
    pub title: String,
    /// Text blocks of the result.
    #[ts(type = "Array<TextBlock>")]
    pub content: Vec<ContentBlock>,
    /// `{"enabled": bool}`
    #[ts(type = "{ enabled: boolean }")]
    pub citations: serde_json::Value,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// `{"type":"redacted"}`
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
pub struct RedactedBlock {
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

open_union! {
    #[typescript("MediaSource")]
    /// Where image or document bytes come from.
    pub enum MediaSource {
        /// Inline base64 data.
        Base64(InlineData) = "base64",
        /// Inline plain text (documents only).
        Text(InlineData) = "text",
        /// A URL the platform fetches.
        Url(UrlSource) = "url",
        /// A Files API file.
        File(FileSource) = "file",
    }
}

/// `{"media_type","data"}`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct InlineData {
    /// MIME type, e.g. `image/png`.
    pub media_type: String,
    /// The data (base64 or text).
    pub data: String,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// `{"url"}`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct UrlSource {
    /// The URL.
    pub url: String,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// `{"file_id"}`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct FileSource {
    /// A Files API id.
    pub file_id: String,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}
