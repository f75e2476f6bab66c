//! What the client needs from its runtime besides the network: timers, the wall clock and
//! randomness (for retry jitter). Tokio and `std` natively; the JS global on `wasm32`.

use std::future::Future;
use std::time::Duration;

/// The future's output, or `None` if `limit` passes first (the future is dropped).
pub async fn timeout<T>(limit: Duration, future: impl Future<Output = T>) -> Option<T> {
    use futures_util::future::{select, Either};
    let future = std::pin::pin!(future);
    let timer = std::pin::pin!(sleep(limit));
    match select(future, timer).await {
        Either::Left((value, _)) => Some(value),
        Either::Right(_) => None,
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    use std::time::Duration;

    pub async fn sleep(duration: Duration) {
        tokio::time::sleep(duration).await
    }

    pub fn unix_now_secs() -> f64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs_f64())
            .unwrap_or(0.0)
    }

    pub fn random_unit() -> f64 {
        rand::random()
    }

    pub fn in_browser() -> bool {
        false
    }
}

#[cfg(target_arch = "wasm32")]
mod imp {
    use js_sys::{Function, Promise, Reflect};
    use std::time::Duration;
    use wasm_bindgen::JsValue;

    /// `setTimeout` from the global scope (window, worker, Node, Deno and workerd all have it).
    pub async fn sleep(duration: Duration) {
        let millis = duration.as_millis().min(i32::MAX as u128) as i32;
        let promise = Promise::new(&mut |resolve, _reject| {
            let global = js_sys::global();
            let set_timeout: Function = Reflect::get(&global, &JsValue::from_str("setTimeout"))
                .expect("setTimeout exists")
                .into();
            set_timeout
                .call2(&global, &resolve, &JsValue::from(millis))
                .expect("setTimeout accepts a function");
        });
        // A timer promise never rejects.
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    }

    pub fn unix_now_secs() -> f64 {
        js_sys::Date::now() / 1000.0
    }

    pub fn random_unit() -> f64 {
        js_sys::Math::random()
    }

    /// A web page (not a worker, Node, Deno or an edge runtime): the global has a `document`.
    pub fn in_browser() -> bool {
        Reflect::has(&js_sys::global(), &JsValue::from_str("document")).unwrap_or(false)
    }
}

pub use imp::{in_browser, random_unit, sleep, unix_now_secs};
