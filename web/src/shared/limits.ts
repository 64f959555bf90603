/**
 * Largest image the browser path accepts. Each pixel costs ~17 bytes of working memory
 * (RGBA, float mask, alpha, PNG rows), so 40 MP stays under ~700 MB in the worker.
 */
export const MAX_PIXELS = 40_000_000;
