//! The browser's `fetch` as the replicator's transport: credentials as an
//! Authorization header (cross-site cookies do not work on every server),
//! long polls cut off by the client (some servers never end them), and a
//! failed request told apart: offline, nothing there, or a server that
//! does not let this page in (CORS).

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Response};

use crate::sync::protocol::{Reply, Request};
use crate::sync::{Failure, Transport};

/// How long a long poll may wait before the client ends it.
const LONG_POLL_MS: i32 = 30_000;
/// How long any other request may take.
const REQUEST_MS: i32 = 60_000;

pub struct FetchTransport {
    /// The database's address.
    base: String,
    authorization: String,
    /// The request in flight, so that it can be cut short (a local change
    /// ends the long poll at once).
    current: Rc<RefCell<Option<AbortController>>>,
    /// The server has answered this transport before: a request that gets
    /// no answer now lost its connection (CORS would have refused the
    /// first).
    answered: std::cell::Cell<bool>,
}

/// `Basic` credentials of the user name and password (UTF-8).
fn basic(user: &str, password: &str) -> String {
    let bytes = format!("{user}:{password}");
    // btoa takes one character per byte.
    let binary: String = bytes.bytes().map(char::from).collect();
    let encoded = web_sys::window()
        .and_then(|w| w.btoa(&binary).ok())
        .unwrap_or_default();
    format!("Basic {encoded}")
}

impl FetchTransport {
    pub fn new(base: String, user: &str, password: &str) -> FetchTransport {
        FetchTransport {
            base,
            authorization: basic(user, password),
            current: Rc::default(),
            answered: std::cell::Cell::new(false),
        }
    }

    /// A handle that cuts the request in flight short.
    pub fn interrupter(&self) -> Interrupter {
        Interrupter(self.current.clone())
    }

    fn url(&self, path: &str) -> String {
        if path.is_empty() {
            format!("{}/", self.base)
        } else {
            format!("{}/{path}", self.base)
        }
    }

    async fn fetch(&self, request: Request) -> Result<Reply, Failure> {
        let window = web_sys::window().ok_or(Failure::Unreachable)?;
        if !window.navigator().on_line() {
            return Err(Failure::Offline);
        }
        // A plain object: the browser reads RequestInit's members by name.
        let init = Object::new();
        let headers = Object::new();
        set(&headers, "Accept", "application/json");
        set(&headers, "Authorization", &self.authorization);
        set(&init, "method", request.method.name());
        set(&init, "mode", "cors");
        set(&init, "credentials", "omit");
        set(&init, "cache", "no-store");
        if let Some(body) = &request.body {
            set(&headers, "Content-Type", "application/json");
            set(&init, "body", body.as_str());
        }
        let _ = Reflect::set(&init, &JsValue::from_str("headers"), &headers);
        let controller = AbortController::new().ok();
        if let Some(c) = &controller {
            let _ = Reflect::set(&init, &JsValue::from_str("signal"), &c.signal());
        }
        // Only a long poll is cut short: any other request finishes.
        *self.current.borrow_mut() = controller.clone().filter(|_| request.long);
        let timer = controller.as_ref().and_then(|c| {
            let c = c.clone();
            let cut = wasm_bindgen::closure::Closure::once_into_js(move || c.abort());
            let ms = if request.long {
                LONG_POLL_MS
            } else {
                REQUEST_MS
            };
            window
                .set_timeout_with_callback_and_timeout_and_arguments_0(cut.unchecked_ref(), ms)
                .ok()
        });
        let url = self.url(&request.path);
        let result = async {
            let response: Response =
                JsFuture::from(window.fetch_with_str_and_init(&url, init.unchecked_ref()))
                    .await?
                    .dyn_into()?;
            let status = response.status();
            let text = JsFuture::from(response.text()?).await?;
            Ok::<_, JsValue>(Reply {
                status,
                body: text.as_string().unwrap_or_default(),
            })
        }
        .await;
        if let Some(id) = timer {
            window.clear_timeout_with_handle(id);
        }
        *self.current.borrow_mut() = None;
        match result {
            Ok(reply) => {
                self.answered.set(true);
                Ok(reply)
            }
            Err(e) if is_abort(&e) => Err(Failure::TimedOut),
            Err(_) if !window.navigator().on_line() => Err(Failure::Offline),
            Err(_) if self.answered.get() => Err(Failure::Unreachable),
            Err(_) => Err(self.why_unanswered().await),
        }
    }

    /// A request failed without an answer: the server is there but does
    /// not let this page read its answers (CORS), or nothing is there.
    async fn why_unanswered(&self) -> Failure {
        let Some(window) = web_sys::window() else {
            return Failure::Unreachable;
        };
        let init = Object::new();
        set(&init, "mode", "no-cors");
        set(&init, "credentials", "omit");
        // An opaque answer means something answered.
        match JsFuture::from(window.fetch_with_str_and_init(&self.url(""), init.unchecked_ref()))
            .await
        {
            Ok(_) => Failure::OriginRefused,
            Err(_) => Failure::Unreachable,
        }
    }
}

fn set(object: &Object, name: &str, value: &str) {
    let _ = Reflect::set(object, &JsValue::from_str(name), &JsValue::from_str(value));
}

fn is_abort(e: &JsValue) -> bool {
    js_sys::Reflect::get(e, &JsValue::from_str("name"))
        .ok()
        .and_then(|n| n.as_string())
        .is_some_and(|n| n == "AbortError")
}

impl Transport for FetchTransport {
    fn send(&self, request: Request) -> impl std::future::Future<Output = Result<Reply, Failure>> {
        self.fetch(request)
    }
}

/// Cuts the request in flight short (it ends as [`Failure::TimedOut`]).
#[derive(Clone)]
pub struct Interrupter(Rc<RefCell<Option<AbortController>>>);

impl Interrupter {
    pub fn interrupt(&self) {
        if let Some(c) = self.0.borrow().as_ref() {
            c.abort();
        }
    }
}
