/** Replaced at build time (vite.config.ts `define`). */
declare const __ORT_VERSION__: string;

/** The onnxruntime-web version the build copied to /ort/<version>/ (worker and service worker). */
export const ORT_VERSION: string = __ORT_VERSION__;
