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

    pub fn sleep(duration: Duration) -> tokio::time::Sleep {
        tokio::time::sleep(duration)
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
    use wasm_bindgen::{JsCast, JsValue};

    /// A `setTimeout` timer (window, worker, Node, Deno and workerd all have one) that is
    /// cleared when dropped, so an abandoned timeout never keeps a runtime alive.
    pub struct Sleep {
        fired: wasm_bindgen_futures::JsFuture,
        timer: JsValue,
    }

    impl std::future::Future for Sleep {
        type Output = ();

        fn poll(
            mut self: std::pin::Pin<&mut Self>,
            cx: &mut std::task::Context<'_>,
        ) -> std::task::Poll<()> {
            // A timer promise never rejects.
            std::pin::Pin::new(&mut self.fired).poll(cx).map(|_| ())
        }
    }

    impl Drop for Sleep {
        fn drop(&mut self) {
            let _ = global_function("clearTimeout").call1(&js_sys::global(), &self.timer);
        }
    }

    pub fn sleep(duration: Duration) -> Sleep {
        let millis = duration.as_millis().min(i32::MAX as u128) as i32;
        let mut timer = JsValue::UNDEFINED;
        let promise = Promise::new(&mut |resolve, _reject| {
            timer = global_function("setTimeout")
                .call2(&js_sys::global(), &resolve, &JsValue::from(millis))
                .expect("setTimeout accepts a function");
        });
        Sleep {
            fired: wasm_bindgen_futures::JsFuture::from(promise),
            timer,
        }
    }

    fn global_function(name: &str) -> Function {
        Reflect::get(&js_sys::global(), &JsValue::from_str(name))
            .ok()
            .and_then(|f| f.dyn_into().ok())
            .unwrap_or_else(|| panic!("this runtime has no global {name}"))
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
