/**
 * The readiness marker tests and screenshot scripts wait for: `<body data-app-state="loaded">` once a view has
 * drawn real data (set on the next frame, so the SVG is on screen when the marker appears).
 */
export function markAppReady(): void {
  if (document.body.dataset.appState !== 'loaded') {
    requestAnimationFrame(() => {
      document.body.dataset.appState = 'loaded';
    });
  }
}
