// Development builds (trunk serve) have no offline cache: this worker removes
// one left over from a release build served on the same address, so the dev
// server never shows a stale app.
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith("leadline ")).map((key) => caches.delete(key))))
      .then(() => self.registration.unregister()),
  );
});
