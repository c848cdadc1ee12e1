//! Long work (reading and importing a big file) done a slice at a time, so
//! the page keeps answering clicks and keys while it runs.

use wasm_bindgen::{JsCast, JsValue};

/// How long one slice may run before the browser gets a turn: well under a
/// frame, so input is answered at once.
const SLICE_MS: f64 = 25.0;

/// Measures the running slice and hands the browser a turn when it is due.
pub struct Slices {
    started: f64,
}

impl Slices {
    pub fn new() -> Slices {
        Slices {
            started: js_sys::Date::now(),
        }
    }

    /// Whether this slice has run its time.
    pub fn due(&self) -> bool {
        js_sys::Date::now() - self.started >= SLICE_MS
    }

    /// Lets the browser handle input and paint, then starts a new slice.
    /// Through `scheduler.yield()` where the browser has it (the work goes
    /// on ahead of other queued tasks, and without the 4 ms a chain of
    /// timers is held back), else through a timer.
    pub async fn pause(&mut self) {
        if let Some(promise) = scheduler_yield() {
            let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
            self.started = js_sys::Date::now();
            return;
        }
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            let queued = web_sys::window()
                .map(|w| w.set_timeout_with_callback(&resolve).is_ok())
                .unwrap_or(false);
            if !queued {
                // No timers (a closing page): go on at once.
                let _ = resolve.call0(&JsValue::NULL);
            }
        });
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
        self.started = js_sys::Date::now();
    }
}

/// `scheduler.yield()`, if the browser has it.
fn scheduler_yield() -> Option<js_sys::Promise> {
    let scheduler =
        js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("scheduler")).ok()?;
    let yield_fn = js_sys::Reflect::get(&scheduler, &JsValue::from_str("yield"))
        .ok()?
        .dyn_into::<js_sys::Function>()
        .ok()?;
    yield_fn
        .call0(&scheduler)
        .ok()?
        .dyn_into::<js_sys::Promise>()
        .ok()
}
