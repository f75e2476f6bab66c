//! Client errors. None of them ever contains the API key.

use outrig_api::{ApiError, StreamError};

/// What can go wrong in a call.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The API answered with an error status (or an `event: error` in a stream).
    #[error(transparent)]
    Api(#[from] ApiError),
    /// The connection failed or timed out (after retries).
    #[error("connection failed: {0}")]
    Connection(String),
    /// A response body was not what the API documents.
    #[error("cannot decode the response: {0}")]
    Decode(String),
    /// The event stream was malformed.
    #[error(transparent)]
    Stream(#[from] StreamError),
    /// The request could not be built (e.g. an empty id).
    #[error("invalid request: {0}")]
    Invalid(String),
    /// A stream message whose data is not a valid event. Not fatal: the stream goes on.
    #[error("malformed event in stream ({message}): {raw:.200}")]
    MalformedEvent {
        /// The message's data as received (truncated for framing errors).
        raw: String,
        /// Why it could not be parsed.
        message: String,
    },
}

impl Error {
    /// The HTTP status, when the API answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(api) => api.status,
            _ => None,
        }
    }
}
