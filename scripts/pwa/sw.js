// Leadline's service worker: keeps the app shell and every screen's chunk in
// a cache so the app opens with no network. scripts/finish-build.mjs fills in
// the file list and the version (a hash of the files) at build time.
const VERSION = "__VERSION__";
const FILES = __FILES__;
// Several apps can share one origin (GitHub Pages): the cache names carry
// this app's scope, and only this scope's old caches are removed.
const PREFIX = `leadline ${self.registration.scope} `;
const CACHE = PREFIX + VERSION;
const INDEX = new URL("index.html", self.registration.scope).href;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(FILES.map((file) => new Request(file, { cache: "reload" })))),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys.filter((key) => key.startsWith(PREFIX) && key !== CACHE).map((key) => caches.delete(key)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

// The page asks for this when the user accepts the new version.
self.addEventListener("message", (event) => {
  if (event.data === "skip-waiting") self.skipWaiting();
});

// Cache first for this app's files; every page address is the one index.html
// (screens are in the URL's hash), so navigations get the cached page.
self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || !request.url.startsWith(self.registration.scope)) return;
  const key = request.mode === "navigate" ? INDEX : request;
  event.respondWith(
    caches
      .open(CACHE)
      .then((cache) => cache.match(key, { ignoreSearch: request.mode === "navigate" }))
      .then((cached) => cached ?? fetch(request)),
  );
});
