//! `outrig-wasm-bedrock`: the core of the npm package's Amazon Bedrock target
//! (`outrig/bedrock`), in a wasm module of its own that first-party programs never load:
//! SigV4 signing ([`outrig_api::sigv4`]) and which operations Bedrock serves, with their
//! beta ([`outrig_api::bedrock`]).
#![warn(missing_docs)]

use outrig_api::bedrock;
use outrig_api::request::Secret;
use outrig_api::routes::Route;
use outrig_api::sigv4::{Credentials, Signer};
use wasm_bindgen::prelude::*;

/// Signs requests with one set of AWS credentials for service `bedrock` in one region. The
/// secret stays in this module's memory; `free()` drops it.
#[wasm_bindgen]
pub struct BedrockSigner {
    credentials: Credentials,
    region: String,
}

#[wasm_bindgen]
impl BedrockSigner {
    /// A signer for these credentials and region.
    #[wasm_bindgen(constructor)]
    pub fn new(
        access_key_id: String,
        secret_access_key: String,
        session_token: Option<String>,
        region: String,
    ) -> BedrockSigner {
        BedrockSigner {
            credentials: Credentials {
                access_key_id,
                secret_access_key: Secret::new(secret_access_key),
                session_token: session_token.map(Secret::new),
            },
            region,
        }
    }

    /// The headers to add to a request to `url` (`x-amz-date`, `x-amz-security-token`,
    /// `authorization`) as `name\0value\0…`, signed over `headers` (`name\0value\0…`, the
    /// ones it will be sent with), the URL's host and `body`, at `unix_secs`.
    pub fn sign(
        &self,
        method: &str,
        url: &str,
        headers: &str,
        body: &[u8],
        unix_secs: f64,
    ) -> Result<String, JsError> {
        let mut fields = headers.split('\0');
        let pairs: Vec<(&str, &str)> =
            std::iter::from_fn(|| Some((fields.next()?, fields.next()?))).collect();
        let signer = Signer {
            credentials: &self.credentials,
            region: &self.region,
            service: bedrock::SIGNING_SERVICE,
        };
        let added = signer.sign(method, url, &pairs, body, unix_secs.floor() as i64)?;
        Ok(added
            .iter()
            .flat_map(|(name, value)| [*name, value.as_str()])
            .collect::<Vec<_>>()
            .join("\0"))
    }
}

/// Why `METHOD path` (a `/v1/…` path, no query) cannot be used on Bedrock, or `undefined`
/// when Bedrock serves it (or it is no endpoint of the route table: sent as it is).
#[wasm_bindgen(js_name = notServed)]
pub fn not_served(method: &str, path: &str) -> Option<String> {
    Route::of_request(method, path).and_then(bedrock::not_served)
}

/// The `anthropic-beta` value every Bedrock operation takes.
#[wasm_bindgen(js_name = bedrockBeta)]
pub fn bedrock_beta() -> String {
    bedrock::BETA.to_string()
}

/// Where the API is served in `region`.
#[wasm_bindgen(js_name = bedrockBaseUrl)]
pub fn bedrock_base_url(region: &str) -> String {
    bedrock::base_url(region)
}
