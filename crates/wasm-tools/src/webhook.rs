//! Standard Webhooks verification (`outrig_api::webhook::verify`).

use wasm_bindgen::prelude::*;

/// Verifies a Standard Webhooks delivery (`outrig_api::webhook::verify`): the three
/// `webhook-*` header values, the raw body, the time now and the tolerance, in seconds.
/// Throws the reason when it does not verify.
#[wasm_bindgen(js_name = verifyWebhook)]
pub fn verify_webhook(
    secret: &str,
    id: Option<String>,
    timestamp: Option<String>,
    signature: Option<String>,
    body: &[u8],
    now_secs: f64,
    tolerance_secs: f64,
) -> Result<(), JsError> {
    let header = |name: &str| match name {
        "webhook-id" => id.clone(),
        "webhook-timestamp" => timestamp.clone(),
        "webhook-signature" => signature.clone(),
        _ => None,
    };
    outrig_api::webhook::verify(
        secret,
        &header,
        body,
        now_secs as i64,
        tolerance_secs as i64,
    )
    .map_err(|e| JsError::new(&e.to_string()))
}
