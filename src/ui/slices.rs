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

    /// Lets the browser handle input first, then goes on ahead of other
    /// queued work: `scheduler.yield()` where the browser has it (no 4 ms
    /// held back as a chain of timers is), else [`Slices::pause`]. For a
    /// few steps that must end soon, such as reading the pipeline at start;
    /// long work uses `pause`, which lets the page paint its progress.
    pub async fn yield_to_input(&mut self) {
        match scheduler_yield() {
            Some(promise) => {
                let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
                self.started = js_sys::Date::now();
            }
            None => self.pause().await,
        }
    }

    /// Lets the browser handle input and paint, then starts a new slice.
    pub async fn pause(&mut self) {
        called_back(|w, done| w.set_timeout_with_callback(done).is_ok()).await;
        self.started = js_sys::Date::now();
    }
}

/// Waits for the browser's next frame (its animation frame callbacks run
/// just before it paints).
pub async fn next_frame() {
    called_back(|w, done| w.request_animation_frame(done).is_ok()).await;
}

/// Waits until the browser calls back the function that `queue` hands it
/// (a timer, a frame); at once if it could not be queued (a closing page).
async fn called_back(queue: impl Fn(&web_sys::Window, &js_sys::Function) -> bool) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let queued = web_sys::window().is_some_and(|w| queue(&w, &resolve));
        if !queued {
            let _ = resolve.call0(&JsValue::NULL);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
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
