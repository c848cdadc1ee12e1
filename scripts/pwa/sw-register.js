// Registers Leadline's service worker (release builds only; scripts/finish-build.mjs
// links this file) and, when a newer version has been installed, lets the app
// offer it: src/ui/update_banner.rs shows the offer and answers with an event.
// It registers once the app has read its stored data (the app measures that
// step as "leadline-load", see src/ui/state.rs) and the page is idle: the
// first install downloads every file again for offline use, and done during
// the start it slowed reading a large pipeline.
if ("serviceWorker" in navigator) {
  const sw = navigator.serviceWorker;
  let accepted = false;
  const offer = (worker) => {
    document.documentElement.setAttribute("data-update-ready", "");
    dispatchEvent(new Event("leadline:update-ready"));
    addEventListener(
      "leadline:update-apply",
      () => {
        accepted = true;
        worker.postMessage("skip-waiting");
      },
      { once: true },
    );
  };
  // Only a version the user accepted reloads the page; the first install
  // taking control of an open page does not.
  sw.addEventListener("controllerchange", () => {
    if (accepted) location.reload();
  });
  const register = () =>
    sw.register("./sw.js").then(
      (registration) => {
        // Some browsers (and test tools) that block workers resolve to nothing.
        if (!registration) return;
        const track = (worker) =>
          worker?.addEventListener("statechange", () => {
            if (worker.state === "installed" && sw.controller) offer(worker);
          });
        // The reload that found the new version may have started installing it
        // before this script ran.
        if (registration.waiting && sw.controller) offer(registration.waiting);
        else track(registration.installing);
        registration.addEventListener("updatefound", () => track(registration.installing));
      },
      // Without a worker the app still runs, it just needs the network.
      () => {},
    );
  let pending = true;
  const registerWhenIdle = () => {
    if (!pending) return;
    pending = false;
    if ("requestIdleCallback" in window) requestIdleCallback(register, { timeout: 2000 });
    else setTimeout(register, 1000);
  };
  // A page that reads no stored data (storage blocked), or a browser that
  // cannot observe measures, still gets its worker.
  addEventListener("load", () => setTimeout(registerWhenIdle, 10_000));
  try {
    new PerformanceObserver((list) => {
      if (list.getEntriesByName("leadline-load").length > 0) registerWhenIdle();
    }).observe({ type: "measure", buffered: true });
  } catch {
    // The fallback above registers it.
  }
}
