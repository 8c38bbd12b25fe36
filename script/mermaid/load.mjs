// The Mermaid parser on Node: copied by script/ensure-mermaid.mjs into the cache directory, beside
// its node_modules, so that `mermaid` and `linkedom` resolve from there and never from the
// project's own dependencies. Mermaid wants a `window` and a `document` (for DOMPurify, which
// sanitizes titles and labels while the chart is parsed); linkedom's are enough to parse.

/**
 * Puts a small DOM on `globalThis`, imports Mermaid, and returns it with a function that takes
 * the DOM away again.
 */
export async function loadMermaid() {
  const { parseHTML } = await import("linkedom");
  const had = { window: globalThis.window, document: globalThis.document };
  const { window, document } = parseHTML("<!doctype html><html><body></body></html>");
  globalThis.window = window;
  globalThis.document = document;
  const { default: mermaid } = await import("mermaid");
  mermaid.initialize({ startOnLoad: false });
  const restore = () => {
    globalThis.window = had.window;
    globalThis.document = had.document;
  };
  return { mermaid, restore };
}
