//! Performance measures around the app's costly steps (wasm32 only): the
//! benchmark observes them, and so does the browser's own profiler. Marks
//! cost microseconds; a browser without them still runs the step.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance, js_name = mark, catch)]
    fn performance_mark(name: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = performance, js_name = measure, catch)]
    fn performance_measure(name: &str, start: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = performance, js_name = clearMeasures, catch)]
    fn performance_clear_measures(name: &str) -> Result<JsValue, JsValue>;
}

/// Runs `step` inside the performance measure `name`. Only the latest
/// measure of a name is kept, so a long session does not pile up entries.
pub fn measured<R>(name: &str, step: impl FnOnce() -> R) -> R {
    let measure = Measure::start(name);
    let result = step();
    measure.end();
    result
}

/// A performance measure around work that spans several tasks.
pub struct Measure<'a> {
    name: &'a str,
}

impl<'a> Measure<'a> {
    pub fn start(name: &'a str) -> Measure<'a> {
        let _ = performance_clear_measures(name);
        let _ = performance_mark(&format!("{name}-start"));
        Measure { name }
    }

    pub fn end(self) {
        let _ = performance_measure(self.name, &format!("{}-start", self.name));
    }
}
