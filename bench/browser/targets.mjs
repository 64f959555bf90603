// The two pages the bench can drive: Cutout's web app (an already running server) and the imgly
// page, which the driver serves itself from setup.sh's install.
import fs from 'node:fs';
import path from 'node:path';
import { selector } from '../../config/browser.mjs';
import { INSTALL_DIR } from './chromium.mjs';
import { startServer } from './serve.mjs';

/** File input and error indicator of each page (defaults of --input-selector / --error-selector). */
export const SELECTORS = {
  cutout: {
    input: selector('fileInput'),
    error: `${selector('queueItem')}[data-state="failed"], ${selector('engineError')}:not([hidden])`,
  },
  imgly: { input: '#file', error: '#status[data-error]' },
};

/** Serves the imgly page + the data package on `port` (0 = a free one); returns the server. */
export async function startImglyServer(port) {
  const site = path.join(INSTALL_DIR, 'site');
  const data = path.join(INSTALL_DIR, 'node_modules/@imgly/background-removal-data/dist');
  if (!fs.existsSync(path.join(site, 'imgly/main.js')) || !fs.existsSync(path.join(data, 'resources.json'))) {
    throw new Error(`imgly page or data missing under ${INSTALL_DIR}: run bench/browser/setup.sh`);
  }
  return startServer({ port, mounts: [['/', site], ['/imgly-data/', data]] });
}

export const imglyUrl = (server, model) => `http://127.0.0.1:${server.address().port}/imgly/${model ? `?model=${encodeURIComponent(model)}` : ''}`;
